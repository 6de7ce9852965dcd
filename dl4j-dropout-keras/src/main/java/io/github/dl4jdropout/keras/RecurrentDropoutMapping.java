package io.github.dl4jdropout.keras;

import io.github.dl4jdropout.Dropouts;
import java.util.Set;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The one place that maps the dropout of Keras recurrent layers ({@code LSTM}, {@code SimpleRNN}).
 *
 * <ul>
 *   <li>{@code dropout} (Keras 1: {@code dropout_W}), on the layer's input, uses one mask per sequence for every
 *       time step in Keras: it becomes {@code Dropouts.timeShared(rate, format)}. On {@code SimpleRNN} it sits on the
 *       layer itself ({@link Placement#ON_LAYER}). On {@code LSTM} it sits on a new {@code DropoutLayer} right before
 *       the LSTM ({@link Placement#DROPOUT_LAYER_BEFORE}), because DL4J 1.0.0-M2.1's LSTM in NWC format (the format
 *       of every imported LSTM) applies its input dropout to a permuted copy and computes its gradients from the
 *       undropped input, so dropout on the LSTM itself would train silently wrong.</li>
 *   <li>{@code recurrent_dropout} (Keras 1: {@code dropout_U}) greater than 0 is refused for now: DL4J has no
 *       recurrent layer that drops the recurrent state with one mask per sequence and example.</li>
 * </ul>
 *
 * <p>Wiring a layer with recurrent dropout (a {@code VariationalLSTM}) changes only this class: accept
 * {@code recurrent_dropout} in {@link #precheck}; let {@link #plan} return a plan also when only
 * {@code recurrent_dropout > 0}, with a new {@link Placement} that replaces the LSTM configuration by the variational
 * one (its input dropout inside it, which also removes the need for the extra {@code DropoutLayer}); and carry that
 * placement out in {@link Plan#apply} ({@link NetworkEdits#replaceLayer}). The replacement must keep DL4J's LSTM
 * parameter keys and shapes ({@code W}, {@code RW}, {@code b}), which the Keras weights are copied into by name.
 */
final class RecurrentDropoutMapping {

    private static final Set<String> CLASSES = Set.of("LSTM", "SimpleRNN");

    /** Where the input dropout of a recurrent layer goes. */
    enum Placement {
        /** On the recurrent layer's own input ({@code Layer.setIDropout}). */
        ON_LAYER,
        /** On a new {@code DropoutLayer} inserted right before the recurrent layer. */
        DROPOUT_LAYER_BEFORE
    }

    /** What to do with one recurrent layer that has input dropout. */
    static final class Plan {
        final Placement placement;
        final IDropout dropout;
        final String insertedLayerName;
        final LayerMapping line;
        private final String kerasClass;
        private final String setting;

        private Plan(Placement placement, IDropout dropout, String insertedLayerName, LayerMapping line,
                     String kerasClass, String setting) {
            this.placement = placement;
            this.dropout = dropout;
            this.insertedLayerName = insertedLayerName;
            this.line = line;
            this.kerasClass = kerasClass;
            this.setting = setting;
        }

        /**
         * Carries the plan out on the configuration.
         *
         * @param net   the configuration being edited
         * @param name  the recurrent layer's name
         * @param layer the recurrent layer's configuration (as DL4J's import built it, dropout already cleared)
         * @throws UnsupportedKerasDropoutException if the layer has more than one input (initial states)
         */
        void apply(NetworkEdits net, String name, Layer layer) throws UnsupportedKerasDropoutException {
            switch (placement) {
                case ON_LAYER:
                    Dl4jLayers.recurrent(layer).setIDropout(dropout);
                    break;
                case DROPOUT_LAYER_BEFORE:
                    if (net.inputsOf(name).size() > 1) {
                        throw new UnsupportedKerasDropoutException(name, kerasClass, setting,
                                "is not supported on a layer with initial-state inputs");
                    }
                    net.insertBefore(name, insertedLayerName, DropoutLayerFactory.create(insertedLayerName, dropout));
                    break;
                default:
                    throw new IllegalStateException("unknown placement " + placement);
            }
        }
    }

    private RecurrentDropoutMapping() {
    }

    /** @return whether the Keras class is a recurrent layer mapped here */
    static boolean handles(String kerasClassName) {
        return CLASSES.contains(kerasClassName);
    }

    /**
     * Refuses what cannot be imported, on the Keras configuration alone (before DL4J's import, which itself throws an
     * unclear exception for a SimpleRNN's {@code recurrent_dropout} and silently drops an LSTM's).
     *
     * @throws UnsupportedKerasDropoutException for {@code recurrent_dropout > 0} or an invalid rate
     */
    static void precheck(KerasLayerSpec spec, KerasFields fields) throws UnsupportedKerasDropoutException {
        double recurrent = DropoutLayerMapping.probability(spec, fields.recurrentDropout(), false);
        if (recurrent > 0.0) {
            throw new UnsupportedKerasDropoutException(spec.name(), spec.className(),
                    fields.recurrentDropout() + "=" + Numbers.format(recurrent), "is not supported yet: DL4J"
                    + " 1.0.0-M2.1 has no recurrent layer that drops the recurrent state with one mask per sequence,"
                    + " as Keras does (Gal and Ghahramani 2016); DL4J's own import ignores it on LSTM and refuses it on"
                    + " SimpleRNN. Re-save the Keras model with " + fields.recurrentDropout() + "=0 to import it"
                    + " without recurrent dropout");
        }
        DropoutLayerMapping.probability(spec, fields.inputDropout(), false);
    }

    /**
     * Refuses dropout on a recurrent layer inside a wrapper ({@code Bidirectional}, {@code TimeDistributed}): Keras
     * draws independent masks for the two directions, which one dropout before the wrapper cannot reproduce.
     *
     * @throws UnsupportedKerasDropoutException if the wrapped layer has any dropout
     */
    static void precheckWrapped(KerasLayerSpec wrapper, KerasLayerSpec inner, KerasFields fields)
            throws UnsupportedKerasDropoutException {
        for (String field : new String[]{fields.inputDropout(), fields.recurrentDropout()}) {
            double rate = DropoutLayerMapping.probability(inner, field, false);
            if (rate > 0.0) {
                throw new UnsupportedKerasDropoutException(wrapper.name(),
                        wrapper.className() + "(" + inner.className() + ")", field + "=" + Numbers.format(rate),
                        "is not supported yet: the wrapped " + inner.className() + " draws its own masks (for each"
                                + " direction of a Bidirectional), which a dropout outside the wrapper cannot"
                                + " reproduce");
            }
        }
    }

    /**
     * Plans the input dropout of a recurrent layer.
     *
     * @param spec         the Keras layer
     * @param fields       field names of the file's Keras version
     * @param dl4jLayer    the layer DL4J's import built (possibly wrapped in LastTimeStep / MaskZeroLayer)
     * @param freshName    a layer name not used in the model, for an inserted DropoutLayer
     * @return the plan, or null if the layer has no input dropout
     * @throws UnsupportedKerasDropoutException if the dropout cannot be placed faithfully
     */
    static Plan plan(KerasLayerSpec spec, KerasFields fields, Layer dl4jLayer, String freshName)
            throws UnsupportedKerasDropoutException {
        double rate = DropoutLayerMapping.probability(spec, fields.inputDropout(), false);
        if (rate == 0.0) {
            return null;
        }
        BaseRecurrentLayer recurrent = Dl4jLayers.recurrent(dl4jLayer);
        String r = Numbers.format(rate);
        String field = fields.inputDropout() + "=" + r;
        String setting = spec.className() + "(" + field + ")";
        if (recurrent == null) {
            throw new IllegalStateException("DL4J's import built " + dl4jLayer + " for Keras " + setting
                    + " on layer '" + spec.name() + "'; expected a recurrent layer");
        }
        RNNFormat format = recurrent.getRnnDataFormat();
        String code = "Dropouts.timeShared(" + r + ", RNNFormat." + format + ")";
        String perStep = "would have used per-step Dropout(p=" + Numbers.format(1 - rate) + "), a new mask at every"
                + " time step";
        IDropout dropout = Dropouts.timeShared(rate, format);
        if (recurrent instanceof LSTM) {
            if (Dl4jLayers.hasMaskZero(dl4jLayer)) {
                throw new UnsupportedKerasDropoutException(spec.name(), spec.className(),
                        field, "after a Masking layer is not supported yet: DL4J's"
                        + " MaskZeroLayer would compute the sequence mask from the dropped input");
            }
            return new Plan(Placement.DROPOUT_LAYER_BEFORE, dropout, freshName, new LayerMapping(spec.name(), setting,
                    code + " on a new DropoutLayer '" + freshName + "' right before it",
                    perStep + ", on the input of an NWC LSTM, which computes its gradients from the undropped input",
                    gateNote(spec)), spec.className(), field);
        }
        return new Plan(Placement.ON_LAYER, dropout, null, new LayerMapping(spec.name(), setting,
                code + " on its input", perStep, null), spec.className(), field);
    }

    /**
     * Keras' LSTM with {@code implementation} 0 or 1 (Keras 1: {@code consume_less} "cpu" or "mem") draws a separate
     * time-shared input mask for each of its four gates; implementation 2 (or "gpu") draws one for all gates.
     */
    private static String gateNote(KerasLayerSpec spec) {
        Object implementation = spec.raw("implementation");
        Object consumeLess = spec.raw("consume_less");
        boolean perGate = implementation instanceof Number ? ((Number) implementation).intValue() != 2
                : consumeLess != null && !"gpu".equals(consumeLess);
        if (!perGate) {
            return null;
        }
        String setting = implementation != null ? "implementation=" + implementation : "consume_less=" + consumeLess;
        return "Keras " + setting + " draws a separate time-shared mask for each of the four gates; here one"
                + " time-shared mask serves all four (as Keras' implementation=2): each gate still sees the same"
                + " drop rate and one mask per sequence";
    }
}
