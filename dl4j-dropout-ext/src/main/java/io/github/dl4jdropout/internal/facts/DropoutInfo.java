package io.github.dl4jdropout.internal.facts;

import io.github.dl4jdropout.dropout.HasDropRate;
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
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What the checks need to know about a dropout or weight-noise object, whether it is DL4J's or this library's: its
 * drop rate, whether it samples anything at all, whether it draws one mask value per element, whether it keeps its
 * mask in a field, and a short description for messages. Methods without an iteration read scheduled rates at the
 * start of training (iteration 0, epoch 0).
 */
public final class DropoutInfo {

    private DropoutInfo() {
    }

    /** @return whether one mask value is drawn per activation (a fresh mask per time step, per pixel) */
    public static boolean isElementWise(IDropout d) {
        return d instanceof InvertedDropout || d instanceof Dropout;
    }

    /**
     * DL4J dropouts that keep the mask (or noise) of the last forward pass in a field and null it in backprop: one
     * instance on two layers fails ("mask array is absent") or multiplies a gradient by another layer's mask.
     */
    public static boolean isStateful(IDropout d) {
        return d instanceof Dropout || d instanceof SpatialDropout || d instanceof AlphaDropout
                || d instanceof GaussianDropout;
    }

    /** @return the DL4J retain probability at the start of training, for the classes whose argument is one */
    public static OptionalDouble retainProbability(IDropout d) {
        return retainProbability(d, 0, 0);
    }

    /**
     * @param d         a dropout
     * @param iteration iteration at which a schedule is read
     * @param epoch     epoch at which a schedule is read
     * @return the DL4J retain probability, for the classes whose argument is one
     */
    public static OptionalDouble retainProbability(IDropout d, int iteration, int epoch) {
        if (d instanceof Dropout) {
            return value(((Dropout) d).getP(), ((Dropout) d).getPSchedule(), iteration, epoch);
        }
        if (d instanceof SpatialDropout) {
            return value(((SpatialDropout) d).getP(), ((SpatialDropout) d).getPSchedule(), iteration, epoch);
        }
        if (d instanceof AlphaDropout) {
            return value(((AlphaDropout) d).getP(), ((AlphaDropout) d).getPSchedule(), iteration, epoch);
        }
        return OptionalDouble.empty();
    }

    /** @return DropConnect's weight retain probability at the start of training */
    public static OptionalDouble retainProbability(IWeightNoise noise) {
        return retainProbability(noise, 0, 0);
    }

    private static OptionalDouble retainProbability(IWeightNoise noise, int iteration, int epoch) {
        if (noise instanceof DropConnect) {
            return value(((DropConnect) noise).getWeightRetainProb(),
                    ((DropConnect) noise).getWeightRetainProbSchedule(), iteration, epoch);
        }
        return OptionalDouble.empty();
    }

    /** @return the probability of dropping a unit at the start of training, if the class has one */
    public static OptionalDouble dropRate(IDropout d) {
        return dropRate(d, 0, 0);
    }

    /**
     * @param d         a dropout
     * @param iteration iteration at which a schedule is read
     * @param epoch     epoch at which a schedule is read
     * @return the probability of dropping a unit, if the class has one
     */
    public static OptionalDouble dropRate(IDropout d, int iteration, int epoch) {
        if (d instanceof HasDropRate) {
            return OptionalDouble.of(((HasDropRate) d).dropRateSchedule().valueAt(iteration, epoch));
        }
        if (d instanceof GaussianDropout) {
            // Srivastava et al. (2014, Section 10): Gaussian noise N(1, rate / (1 - rate)) matches drop rate "rate".
            return value(((GaussianDropout) d).getRate(), ((GaussianDropout) d).getRateSchedule(), iteration, epoch);
        }
        OptionalDouble retain = retainProbability(d, iteration, epoch);
        return retain.isPresent() ? OptionalDouble.of(1.0 - retain.getAsDouble()) : OptionalDouble.empty();
    }

    /**
     * Whether a dropout changes anything in training at an iteration and epoch: false for a zero drop rate (a
     * retain probability of 1) or zero Gaussian noise; true for classes this library does not know.
     *
     * @param d         a dropout, or null
     * @param iteration iteration at which a schedule is read
     * @param epoch     epoch at which a schedule is read
     * @return whether it samples
     */
    public static boolean isStochastic(IDropout d, int iteration, int epoch) {
        if (d == null) {
            return false;
        }
        if (d instanceof GaussianNoise) {
            GaussianNoise g = (GaussianNoise) d;
            return g.getStddevSchedule() != null ? g.getStddevSchedule().valueAt(iteration, epoch) != 0.0
                    : g.getStddev() != 0.0;
        }
        OptionalDouble rate = dropRate(d, iteration, epoch);
        return rate.isEmpty() || rate.getAsDouble() != 0.0;
    }

    /** @return {@link #isStochastic(IDropout, int, int)} at the start of training */
    public static boolean isStochastic(IDropout d) {
        return isStochastic(d, 0, 0);
    }

    /**
     * Whether weight noise changes anything in training: false for a zero drop rate of this library's recurrent
     * weight dropout or a retain probability of 1 for DL4J's {@code DropConnect}; true for any other noise.
     *
     * @param noise     weight noise, or null
     * @param iteration iteration at which a schedule is read
     * @param epoch     epoch at which a schedule is read
     * @return whether it samples
     */
    public static boolean isStochastic(IWeightNoise noise, int iteration, int epoch) {
        if (noise == null) {
            return false;
        }
        if (noise instanceof HasDropRate) {
            return ((HasDropRate) noise).dropRateSchedule().valueAt(iteration, epoch) != 0.0;
        }
        OptionalDouble retain = retainProbability(noise, iteration, epoch);
        return retain.isEmpty() || retain.getAsDouble() != 1.0;
    }

    /**
     * Whether an activation function samples in training: DL4J's {@code RReLU} draws its negative slopes from
     * {@code U(l, u)} unless {@code l == u}.
     *
     * @param activation an activation function, or null
     * @return whether it samples
     */
    public static boolean isStochastic(IActivation activation) {
        return activation instanceof ActivationRReLU
                && ((ActivationRReLU) activation).getL() != ((ActivationRReLU) activation).getU();
    }

    private static OptionalDouble value(double constant, ISchedule schedule, int iteration, int epoch) {
        double v = schedule != null ? schedule.valueAt(iteration, epoch) : constant;
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** @return a short description: ours print themselves, DL4J's are named with their retain probability */
    public static String describe(IDropout d) {
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
    public static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros();
        return rounded.scale() <= 0 ? rounded.setScale(1).toPlainString() : rounded.toPlainString();
    }
}
