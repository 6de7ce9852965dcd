package io.github.dl4jdropout.keras;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.layers.VariationalLSTM;
import io.github.dl4jdropout.layers.VariationalSimpleRnn;
import java.util.ArrayList;
import java.util.List;
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
 *   <li>{@code LSTM} with {@code dropout} (Keras 1: {@code dropout_W}) or {@code recurrent_dropout} (Keras 1:
 *       {@code dropout_U}) greater than 0 becomes this library's {@link VariationalLSTM}
 *       ({@link Placement#VARIATIONAL_LSTM}), which replaces the configuration of DL4J's {@code LSTM} at the same
 *       place (inside {@code LastTimeStep} or {@code MaskZeroLayer} when DL4J's import wrapped it) with every other
 *       setting, and the parameter keys and shapes ({@code W}, {@code RW}, {@code b}) the Keras weights are copied
 *       into by name, unchanged. {@code recurrent_dropout} becomes its {@code recurrentDropout(rate)}: one mask per
 *       example and sequence on {@code h(t-1)}, the same at every step, kept units scaled by {@code 1 / (1 - rate)},
 *       as in Keras. {@code dropout} becomes its own input dropout, {@code Dropouts.timeShared(rate, NWC)}: one mask
 *       per example and input feature for the whole sequence, as in Keras.</li>
 *   <li>{@code SimpleRNN} with only {@code dropout} keeps DL4J's {@code SimpleRnn} with
 *       {@code Dropouts.timeShared(rate, NWC)} on its input ({@link Placement#ON_LAYER}; the dropout variants
 *       realign the NCW gradient DL4J's NWC SimpleRnn hands them). With {@code recurrent_dropout > 0} it becomes
 *       this library's {@link VariationalSimpleRnn} ({@link Placement#VARIATIONAL}) carrying both, with the same
 *       parameters; DL4J's import, which throws on {@code recurrent_dropout}, is shown the layer without it.</li>
 * </ul>
 *
 * <p><b>Why not DL4J's LSTM.</b> DL4J 1.0.0-M2.1's {@code LSTM} has no recurrent dropout at all (its import ignores
 * {@code recurrent_dropout}, a TODO in {@code KerasLSTM}), and in NWC format (the format of every imported LSTM) it
 * applies its input dropout to a permuted copy and computes its gradients from the undropped input, so even the input
 * dropout cannot sit on DL4J's LSTM itself. The {@code VariationalLSTM} applies its input dropout in its own format
 * and computes its gradients from the dropped input (gradient-checked in NWC in the ext module).
 *
 * <p><b>An LSTM with only {@code dropout} also becomes a {@code VariationalLSTM}</b> (with recurrent rate 0), rather
 * than DL4J's {@code LSTM} behind an inserted {@code DropoutLayer} (this module's first mapping): the semantics are
 * the same (the input dropout is the same time-shared mask, applied before the same weights), but the imported graph
 * then has exactly the vertices, names and connections of DL4J's import, a Keras {@code Masking} before the LSTM
 * works (DL4J's {@code MaskZeroLayer} computes the sequence mask from the undropped input, and the layer drops its
 * input afterwards; a {@code DropoutLayer} before it would have made dropped zeros look like padding), and adding
 * recurrent dropout later changes no structure. With a recurrent rate of 0 the layer runs DL4J's own LSTM operations;
 * its inference output equals DL4J's LSTM on the same parameters. Only Keras {@code Dropout} layers must stay one
 * {@code DropoutLayer} vertex of the same name; an LSTM's {@code dropout} is a setting of the LSTM.
 *
 * <p><b>Gates.</b> The {@code VariationalLSTM} uses one input mask and one recurrent mask for all four gates: exactly
 * Keras' {@code implementation=2} (Keras 1: {@code consume_less="gpu"}) and Keras 3. Keras 2's
 * {@code implementation} 0 and 1 (Keras 1: {@code consume_less} "cpu" or "mem") draw four independent masks of each
 * kind, one per gate; tf.keras 2 even switches to {@code implementation=1} by itself whenever
 * {@code recurrent_dropout} is set, so nearly every real file with recurrent dropout says {@code implementation=1}.
 * Such a layer is imported, not refused: each gate still sees the same drop rates, with one mask per example and
 * sequence, only the four gates' noise is correlated instead of independent. The report line carries this as a note
 * (logged at WARN by {@link KerasDropoutImport#importSequential}), so a user who needs the per-gate masks is told.
 */
final class RecurrentDropoutMapping {

    private static final Set<String> CLASSES = Set.of("LSTM", "SimpleRNN");

    /** Where the dropout of a recurrent layer goes. */
    enum Placement {
        /** On the recurrent layer's own input ({@code Layer.setIDropout}), DL4J's layer kept. */
        ON_LAYER,
        /**
         * DL4J's {@code LSTM} or {@code SimpleRnn} configuration replaced by a {@link VariationalLSTM} or
         * {@link VariationalSimpleRnn} with the same settings, carrying the input dropout and the recurrent dropout.
         */
        VARIATIONAL
    }

    /** What to do with one recurrent layer that has dropout. */
    static final class Plan {
        final Placement placement;
        /** The input dropout, or null for none. */
        final IDropout dropout;
        /** The recurrent drop rate (0 for none); only for {@link Placement#VARIATIONAL_LSTM}. */
        final double recurrentDropRate;
        final LayerMapping line;
        private final String kerasClass;
        private final String setting;

        private Plan(Placement placement, IDropout dropout, double recurrentDropRate, LayerMapping line,
                     String kerasClass, String setting) {
            this.placement = placement;
            this.dropout = dropout;
            this.recurrentDropRate = recurrentDropRate;
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
                case VARIATIONAL:
                    if (net.inputsOf(name).size() > 1) {
                        throw new UnsupportedKerasDropoutException(name, kerasClass, setting,
                                "is not supported on a layer with initial-state inputs");
                    }
                    BaseRecurrentLayer recurrent = Dl4jLayers.recurrent(layer);
                    BaseRecurrentLayer variational = VariationalLayers.of(recurrent, dropout, recurrentDropRate);
                    net.replaceLayer(name, Dl4jLayers.replaceLevel(layer, recurrent, variational));
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
     * unclear exception for a SimpleRNN's {@code recurrent_dropout}).
     *
     * @throws UnsupportedKerasDropoutException for an invalid rate
     */
    static void precheck(KerasLayerSpec spec, KerasFields fields) throws UnsupportedKerasDropoutException {
        DropoutLayerMapping.probability(spec, fields.recurrentDropout(), false);
        DropoutLayerMapping.probability(spec, fields.inputDropout(), false);
    }

    /**
     * Refuses dropout on a recurrent layer inside a wrapper ({@code Bidirectional}, {@code TimeDistributed}): DL4J's
     * import of a wrapped layer does not go through this mapping.
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
     * Plans the dropout of a recurrent layer.
     *
     * @param spec      the Keras layer
     * @param fields    field names of the file's Keras version
     * @param dl4jLayer the layer DL4J's import built (possibly wrapped in LastTimeStep / MaskZeroLayer)
     * @return the plan, or null if the layer has no dropout
     * @throws UnsupportedKerasDropoutException if the dropout cannot be placed faithfully
     */
    static Plan plan(KerasLayerSpec spec, KerasFields fields, Layer dl4jLayer)
            throws UnsupportedKerasDropoutException {
        precheck(spec, fields);
        double rate = DropoutLayerMapping.probability(spec, fields.inputDropout(), false);
        double recurrentRate = DropoutLayerMapping.probability(spec, fields.recurrentDropout(), false);
        if (rate == 0.0 && recurrentRate == 0.0) {
            return null;
        }
        BaseRecurrentLayer recurrent = Dl4jLayers.recurrent(dl4jLayer);
        String r = Numbers.format(rate);
        String rr = Numbers.format(recurrentRate);
        List<String> settings = new ArrayList<>();
        if (rate > 0.0) {
            settings.add(fields.inputDropout() + "=" + r);
        }
        if (recurrentRate > 0.0) {
            settings.add(fields.recurrentDropout() + "=" + rr);
        }
        String field = String.join(", ", settings);
        String setting = spec.className() + "(" + field + ")";
        if (recurrent == null) {
            throw new IllegalStateException("DL4J's import built " + dl4jLayer + " for Keras " + setting
                    + " on layer '" + spec.name() + "'; expected a recurrent layer");
        }
        RNNFormat format = recurrent.getRnnDataFormat();
        String timeShared = "Dropouts.timeShared(" + r + ", RNNFormat." + format + ")";
        IDropout dropout = rate > 0.0 ? Dropouts.timeShared(rate, format) : null;
        String perStep = "used per-step Dropout(p=" + Numbers.format(1 - rate) + "), a new mask at every time step";
        if (recurrent instanceof LSTM) {
            String mapped = "VariationalLSTM(dropOut=" + (rate > 0.0 ? timeShared : "none") + ", recurrentDropout="
                    + rr + ")";
            List<String> dl4j = new ArrayList<>();
            if (rate > 0.0) {
                dl4j.add(perStep + ", on the input of an NWC LSTM, which computes its gradients from the undropped"
                        + " input");
            }
            if (recurrentRate > 0.0) {
                dl4j.add("ignored " + fields.recurrentDropout());
            }
            return new Plan(Placement.VARIATIONAL, dropout, recurrentRate, new LayerMapping(spec.name(),
                    setting, mapped, "would have " + String.join(" and ", dl4j), gateNote(spec, rate,
                    recurrentRate)), spec.className(), field);
        }
        if (recurrentRate > 0.0) {
            // DL4J's import never saw the recurrent_dropout (Dl4jImport hides it: DL4J throws on it for SimpleRNN).
            String mapped = "VariationalSimpleRnn(dropOut=" + (rate > 0.0 ? timeShared : "none")
                    + ", recurrentDropout=" + rr + ")";
            String dl4j = (rate > 0.0 ? perStep + " and " : "") + "refused " + fields.recurrentDropout()
                    + " (\"Dropout > 0 on recurrent connections not supported\", naming no layer)";
            return new Plan(Placement.VARIATIONAL, dropout, recurrentRate, new LayerMapping(spec.name(), setting,
                    mapped, "would have " + dl4j, null), spec.className(), field);
        }
        return new Plan(Placement.ON_LAYER, dropout, 0.0, new LayerMapping(spec.name(), setting,
                timeShared + " on its input", "would have " + perStep, null), spec.className(), field);
    }

    /**
     * The note for a Keras LSTM whose masks are per gate: {@code implementation} 0 or 1 (Keras 1:
     * {@code consume_less} "cpu" or "mem"); null for {@code implementation=2} ("gpu"), which draws one mask of each
     * kind for all gates, as the {@code VariationalLSTM} does.
     */
    private static String gateNote(KerasLayerSpec spec, double rate, double recurrentRate) {
        Object implementation = spec.raw("implementation");
        Object consumeLess = spec.raw("consume_less");
        boolean perGate = implementation instanceof Number ? ((Number) implementation).intValue() != 2
                : consumeLess != null && !"gpu".equals(consumeLess);
        if (!perGate) {
            return null;
        }
        String kerasSetting = implementation != null ? "implementation=" + implementation
                : "consume_less=" + consumeLess;
        String masks = rate > 0.0 && recurrentRate > 0.0 ? "input and recurrent mask"
                : rate > 0.0 ? "input mask" : "recurrent mask";
        return "Keras " + kerasSetting + " draws a separate time-shared " + masks + " for each of the four gates;"
                + " here one " + masks + " serves all four (as Keras' implementation=2): each gate still sees the"
                + " same drop rate and one mask per example and sequence, but the gates' noise is correlated";
    }
}
