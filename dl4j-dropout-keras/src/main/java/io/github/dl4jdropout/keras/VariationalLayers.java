package io.github.dl4jdropout.keras;

import io.github.dl4jdropout.layers.VariationalLSTM;
import io.github.dl4jdropout.layers.VariationalSimpleRnn;
import java.io.IOException;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Turns the configuration of DL4J's {@code LSTM} or {@code SimpleRnn}, as its Keras import built it, into this
 * library's {@link VariationalLSTM} or {@link VariationalSimpleRnn} with every other setting unchanged.
 *
 * <p>The copy goes through DL4J's own JSON form of the layer (the form {@code ModelSerializer} writes), with the class
 * name changed and the recurrent drop rate added: every field DL4J's import or the network's global defaults set
 * (activations, initializers, regularization, constraints, updaters, data format, nIn and nOut) is carried over, also
 * the ones the {@code VariationalLSTM.Builder} has no setter for, and the {@code VariationalLSTM}'s own JSON checks
 * validate the rate. Each variational layer extends the DL4J layer it replaces and keeps its parameter layout
 * ({@code W}, {@code RW}, {@code b}), so the Keras weights copy in by name as into DL4J's layer.
 */
final class VariationalLayers {

    private VariationalLayers() {
    }

    /**
     * @param recurrent         DL4J's LSTM or SimpleRnn configuration (not modified)
     * @param inputDropout      the input dropout of the new layer, or null for none
     * @param recurrentDropRate the recurrent drop rate, in [0, 1)
     * @return the variational counterpart, equal in every other setting
     * @throws IllegalArgumentException for another layer class
     */
    static BaseRecurrentLayer of(BaseRecurrentLayer recurrent, IDropout inputDropout, double recurrentDropRate) {
        if (recurrent instanceof LSTM) {
            return of((LSTM) recurrent, inputDropout, recurrentDropRate);
        }
        if (recurrent instanceof SimpleRnn) {
            return copy(recurrent, VariationalSimpleRnn.class, inputDropout, recurrentDropRate);
        }
        throw new IllegalArgumentException("no variational counterpart of " + recurrent.getClass().getName());
    }

    /**
     * @param lstm              DL4J's LSTM configuration (not modified)
     * @param inputDropout      the input dropout of the new layer, or null for none
     * @param recurrentDropRate the recurrent drop rate, in [0, 1)
     * @return a new {@code VariationalLSTM} equal to {@code lstm} in every LSTM setting but the input dropout
     * @throws IllegalStateException if DL4J's JSON form of the layer cannot be read back (another DL4J version)
     */
    static VariationalLSTM of(LSTM lstm, IDropout inputDropout, double recurrentDropRate) {
        return copy(lstm, VariationalLSTM.class, inputDropout, recurrentDropRate);
    }

    private static <T extends Layer> T copy(Layer layer, Class<T> target, IDropout inputDropout,
                                            double recurrentDropRate) {
        ObjectMapper mapper = JsonMappers.getMapper();
        try {
            ObjectNode json = mapper.valueToTree(layer);
            json.put("@class", target.getName());
            json.set("recurrentDropoutSchedule", mapper.valueToTree(new FixedSchedule(recurrentDropRate)));
            json.remove("idropout");
            T variational = target.cast(mapper.treeToValue(json, Layer.class));
            variational.setIDropout(inputDropout);
            return variational;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot turn the " + layer.getClass().getSimpleName() + " configuration"
                    + " of layer '" + layer.getLayerName() + "' into a " + target.getSimpleName() + " through its JSON"
                    + " form (DL4J version other than 1.0.0-M2.1?)", e);
        }
    }
}
