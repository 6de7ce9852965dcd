package io.github.dl4jdropout.audit;

import io.github.dl4jdropout.dropout.InvertedDropout;
import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.OptionalDouble;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianDropout;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What the audit needs to know about a dropout object, whether it is DL4J's or ours: its drop rate, whether it draws
 * one mask value per element, whether it keeps its mask in a field, and a short description for messages.
 * Scheduled rates are read at the start of training (iteration 0, epoch 0).
 */
final class DropoutFacts {

    private DropoutFacts() {
    }

    /** @return whether one mask value is drawn per activation (a fresh mask per time step, per pixel) */
    static boolean isElementWise(IDropout d) {
        return d instanceof InvertedDropout || d instanceof Dropout;
    }

    /**
     * DL4J dropouts that keep the mask (or noise) of the last forward pass in a field and null it in backprop: one
     * instance on two layers fails ("mask array is absent") or multiplies a gradient by another layer's mask.
     */
    static boolean isStateful(IDropout d) {
        return d instanceof Dropout || d instanceof SpatialDropout || d instanceof AlphaDropout
                || d instanceof GaussianDropout;
    }

    /** @return the DL4J retain probability at the start of training, for the classes whose argument is one */
    static OptionalDouble retainProbability(IDropout d) {
        if (d instanceof Dropout) {
            return value(((Dropout) d).getP(), ((Dropout) d).getPSchedule());
        }
        if (d instanceof SpatialDropout) {
            return value(((SpatialDropout) d).getP(), ((SpatialDropout) d).getPSchedule());
        }
        if (d instanceof AlphaDropout) {
            return value(((AlphaDropout) d).getP(), ((AlphaDropout) d).getPSchedule());
        }
        return OptionalDouble.empty();
    }

    /** @return DropConnect's weight retain probability at the start of training */
    static OptionalDouble retainProbability(IWeightNoise noise) {
        if (noise instanceof DropConnect) {
            return value(((DropConnect) noise).getWeightRetainProb(),
                    ((DropConnect) noise).getWeightRetainProbSchedule());
        }
        return OptionalDouble.empty();
    }

    /** @return the probability of dropping a unit at the start of training, if the class has one */
    static OptionalDouble dropRate(IDropout d) {
        if (d instanceof InvertedDropout) {
            return OptionalDouble.of(((InvertedDropout) d).dropRateSchedule().valueAt(0, 0));
        }
        if (d instanceof TimeSharedDropout) {
            return OptionalDouble.of(((TimeSharedDropout) d).dropRateSchedule().valueAt(0, 0));
        }
        if (d instanceof SpatialChannelDropout) {
            return OptionalDouble.of(((SpatialChannelDropout) d).dropRateSchedule().valueAt(0, 0));
        }
        if (d instanceof GaussianDropout) {
            // Srivastava et al. (2014, Section 10): Gaussian noise N(1, rate / (1 - rate)) matches drop rate "rate".
            return value(((GaussianDropout) d).getRate(), ((GaussianDropout) d).getRateSchedule());
        }
        OptionalDouble retain = retainProbability(d);
        return retain.isPresent() ? OptionalDouble.of(1.0 - retain.getAsDouble()) : OptionalDouble.empty();
    }

    /** @return whether the dropout changes anything in training: false for a zero drop rate or zero noise */
    static boolean isStochastic(IDropout d) {
        if (d == null) {
            return false;
        }
        if (d instanceof GaussianNoise) {
            GaussianNoise g = (GaussianNoise) d;
            return g.getStddevSchedule() != null || g.getStddev() != 0.0;
        }
        OptionalDouble rate = dropRate(d);
        return rate.isEmpty() || rate.getAsDouble() != 0.0;
    }

    private static OptionalDouble value(double constant, ISchedule schedule) {
        double v = schedule != null ? schedule.valueAt(0, 0) : constant;
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** @return a short description: ours print themselves, DL4J's are named with their retain probability */
    static String describe(IDropout d) {
        if (d instanceof InvertedDropout || d instanceof TimeSharedDropout || d instanceof SpatialChannelDropout) {
            return d.toString();
        }
        OptionalDouble retain = retainProbability(d);
        if (retain.isPresent()) {
            boolean scheduled = d instanceof Dropout ? ((Dropout) d).getPSchedule() != null
                    : d instanceof SpatialDropout ? ((SpatialDropout) d).getPSchedule() != null
                    : ((AlphaDropout) d).getPSchedule() != null;
            return "DL4J " + d.getClass().getSimpleName() + "(" + (scheduled ? "scheduled, starting at " : "")
                    + format(retain.getAsDouble()) + ")";
        }
        if (d instanceof GaussianDropout) {
            return "DL4J GaussianDropout(rate " + format(dropRate(d).orElse(Double.NaN)) + ")";
        }
        return d.getClass().getSimpleName();
    }

    /** @return a rate as short text: 1 - 0.8 prints as 0.2 */
    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros();
        return rounded.scale() <= 0 ? rounded.setScale(1).toPlainString() : rounded.toPlainString();
    }
}
