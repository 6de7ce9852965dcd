package io.github.dl4jdropout.keras;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.distribution.OrthogonalDistribution;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;

/**
 * Replaces the {@code WeightInitDistribution(OrthogonalDistribution)} that DL4J's import makes of Keras'
 * {@code Orthogonal} initializer by {@link KerasOrthogonalInit}: ND4J 1.0.0-M2.1's orthogonal sampling (an SVD) crashes
 * the JVM or never returns for matrices like [50, 200] or [50, 50], and DL4J initializes every layer before it copies the Keras weights.
 */
final class OrthogonalInits {

    private OrthogonalInits() {
    }

    /**
     * @param name  the layer name, for the report
     * @param layer the layer configuration (wrappers are looked into)
     * @return one report line per replaced initializer; empty if none
     */
    static List<LayerMapping> replace(String name, Layer layer) {
        List<LayerMapping> lines = new ArrayList<>();
        for (Layer l : Dl4jLayers.levels(layer)) {
            if (!(l instanceof BaseLayer)) {
                continue;
            }
            BaseLayer base = (BaseLayer) l;
            KerasOrthogonalInit kernel = safe(base.getWeightInitFn());
            if (kernel != null) {
                base.setWeightInitFn(kernel);
                lines.add(line(name, "kernel_initializer", kernel));
            }
            if (l instanceof BaseRecurrentLayer) {
                BaseRecurrentLayer recurrent = (BaseRecurrentLayer) l;
                KerasOrthogonalInit rec = safe(recurrent.getWeightInitFnRecurrent());
                if (rec != null) {
                    recurrent.setWeightInitFnRecurrent(rec);
                    lines.add(line(name, "recurrent_initializer", rec));
                }
            }
        }
        return lines;
    }

    private static KerasOrthogonalInit safe(IWeightInit init) {
        if (init instanceof WeightInitDistribution) {
            Object distribution = distributionOf((WeightInitDistribution) init);
            if (distribution instanceof OrthogonalDistribution) {
                return new KerasOrthogonalInit(((OrthogonalDistribution) distribution).getGain());
            }
        }
        return null;
    }

    /** WeightInitDistribution has no getter for its distribution in DL4J 1.0.0-M2.1. */
    private static Object distributionOf(WeightInitDistribution init) {
        try {
            Field field = WeightInitDistribution.class.getDeclaredField("distribution");
            field.setAccessible(true);
            return field.get(init);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the distribution of " + init + " (DL4J version other than"
                    + " 1.0.0-M2.1?)", e);
        }
    }

    private static LayerMapping line(String name, String field, KerasOrthogonalInit init) {
        String gain = Numbers.format(init.gain());
        return new LayerMapping(name, field + "=Orthogonal(gain=" + gain + ")",
                "KerasOrthogonalInit(" + gain + ") (used only if the network is re-initialized; the imported weights"
                        + " are copied from the file)",
                "would have used OrthogonalDistribution(" + gain + "), whose SVD crashes ND4J 1.0.0-M2.1 (SIGSEGV) or"
                        + " never returns in init() for matrices like [50, 200]", null);
    }
}
