package io.github.dl4jdropout.keras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Rewrites the dropout of a configuration built by DL4J's Keras import, layer by layer, before the network exists:
 * Keras noise layers get their Keras meaning ({@link DropoutLayerMapping}), recurrent layers their time-shared input
 * dropout ({@link RecurrentDropoutMapping}), DL4J's no-op {@code Dropout(p=1.0)} is removed everywhere else, and any
 * other dropout DL4J set is refused rather than kept with an unknown meaning. Keras' {@code Orthogonal} initializers
 * are made safe ({@link OrthogonalInits}).
 */
final class DropoutRewriter {

    /** The outcome: the report lines and the names of the layers this rewrite inserted (they have no weights). */
    static final class Outcome {
        final List<LayerMapping> lines;
        final Set<String> insertedLayers;

        Outcome(List<LayerMapping> lines, Set<String> insertedLayers) {
            this.lines = Collections.unmodifiableList(lines);
            this.insertedLayers = Collections.unmodifiableSet(insertedLayers);
        }
    }

    private DropoutRewriter() {
    }

    /**
     * @param net         the configuration to edit
     * @param keras       the Keras model configuration
     * @param outputTypes DL4J's input type at the output of every Keras layer (from DL4J's import)
     * @return the report and the inserted layers
     * @throws UnsupportedKerasDropoutException if some dropout cannot be reproduced faithfully
     */
    static Outcome rewrite(NetworkEdits net, KerasModelConfig keras, Map<String, InputType> outputTypes)
            throws UnsupportedKerasDropoutException {
        KerasFields fields = KerasFields.forMajorVersion(keras.kerasMajorVersion());
        List<LayerMapping> lines = new ArrayList<>();
        Set<String> inserted = new LinkedHashSet<>();
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
                RecurrentDropoutMapping.Plan plan = RecurrentDropoutMapping.plan(spec, fields, layer,
                        freshName(net, name + "_input_dropout"));
                if (plan == null) {
                    if (hadDropout) {
                        lines.add(noOpLine(name, kerasClass));
                    }
                } else {
                    plan.apply(net, name, layer);
                    if (plan.insertedLayerName != null) {
                        inserted.add(plan.insertedLayerName);
                    }
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
        return new Outcome(lines, inserted);
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

    private static String freshName(NetworkEdits net, String base) {
        String name = base;
        for (int i = 1; net.contains(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static LayerMapping noOpLine(String name, String kerasClass) {
        return new LayerMapping(name, kerasClass + " (no dropout)", "no dropout",
                "would have set Dropout(p=1.0) on its input: no effect, but a mask drawn in every training step", null);
    }
}
