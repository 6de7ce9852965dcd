package io.github.dl4jdropout.keras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Rewrites the dropout of a configuration built by DL4J's Keras import, layer by layer, before the network exists:
 * Keras noise layers get their Keras meaning ({@link DropoutLayerMapping}), recurrent layers their time-shared input
 * and recurrent dropout ({@link RecurrentDropoutMapping}), DL4J's no-op {@code Dropout(p=1.0)} is removed everywhere else, and any
 * other dropout DL4J set is refused rather than kept with an unknown meaning. Keras' {@code Orthogonal} initializers
 * are made safe ({@link OrthogonalInits}).
 */
final class DropoutRewriter {

    private DropoutRewriter() {
    }

    /**
     * @param net         the configuration to edit
     * @param keras       the Keras model configuration
     * @param outputTypes DL4J's input type at the output of every Keras layer (from DL4J's import)
     * @return the report, one line per setting configured differently from DL4J's import
     * @throws UnsupportedKerasDropoutException if some dropout cannot be reproduced faithfully
     */
    static List<LayerMapping> rewrite(NetworkEdits net, KerasModelConfig keras, Map<String, InputType> outputTypes)
            throws UnsupportedKerasDropoutException {
        KerasFields fields = KerasFields.forMajorVersion(keras.kerasMajorVersion());
        List<LayerMapping> lines = new ArrayList<>();
        for (String name : net.layerNames()) {
            Layer layer = net.layer(name);
            KerasLayerSpec spec = keras.layers().get(name);
            String kerasClass = spec == null ? layer.getClass().getSimpleName() : spec.className();
            if (spec != null && DropoutLayerMapping.handles(kerasClass)) {
                if (!(layer instanceof DropoutLayer)) {
                    throw new IllegalStateException("DL4J's import built " + layer.getClass().getSimpleName()
                            + " for Keras " + kerasClass + " layer '" + name + "'; expected a DropoutLayer");
                }
                InputType seen = outputTypes.get(name);
                if (seen == null) {
                    throw new IllegalStateException("DL4J's import recorded no activation type for layer '" + name
                            + "'");
                }
                DropoutLayerMapping.Mapped mapped = DropoutLayerMapping.map(spec, fields, ActivationLayout.of(seen));
                net.replaceLayer(name, DropoutLayerFactory.create(name, mapped.dropout));
                lines.add(mapped.line);
            } else if (spec != null && RecurrentDropoutMapping.handles(kerasClass)) {
                boolean hadDropout = clearAll(layer);
                RecurrentDropoutMapping.Plan plan = RecurrentDropoutMapping.plan(spec, fields, layer);
                if (plan == null) {
                    if (hadDropout) {
                        lines.add(noOpLine(name, kerasClass));
                    }
                } else {
                    plan.apply(net, name, layer);
                    lines.add(plan.line);
                }
            } else {
                boolean removed = false;
                for (Layer level : Dl4jLayers.levels(layer)) {
                    IDropout d = level.getIDropout();
                    if (d == null) {
                        continue;
                    }
                    if (!Dl4jLayers.isNoOp(d)) {
                        throw new UnsupportedKerasDropoutException(name, kerasClass, "dropout ("
                                + Dl4jLayers.describe(d) + " in DL4J's import)", "cannot be honoured: this module"
                                + " does not know what the Keras setting behind it means for this layer class");
                    }
                    level.setIDropout(null);
                    removed = true;
                }
                if (removed) {
                    lines.add(noOpLine(name, kerasClass));
                }
            }
            lines.addAll(OrthogonalInits.replace(name, net.layer(name)));
        }
        return Collections.unmodifiableList(lines);
    }

    /** Removes DL4J's dropout from the layer and everything it wraps; true if there was any. */
    private static boolean clearAll(Layer layer) {
        boolean any = false;
        for (Layer level : Dl4jLayers.levels(layer)) {
            if (level.getIDropout() != null) {
                level.setIDropout(null);
                any = true;
            }
        }
        return any;
    }

    private static LayerMapping noOpLine(String name, String kerasClass) {
        return new LayerMapping(name, kerasClass + " (no dropout)", "no dropout",
                "would have set Dropout(p=1.0) on its input: no effect, but a mask drawn in every training step", null);
    }
}
