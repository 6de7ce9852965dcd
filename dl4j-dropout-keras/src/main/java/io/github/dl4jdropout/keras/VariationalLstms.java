package io.github.dl4jdropout.keras;

import io.github.dl4jdropout.layers.VariationalLSTM;
import java.io.IOException;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Turns the configuration of DL4J's {@code LSTM}, as its Keras import built it, into a {@link VariationalLSTM} with
 * every other setting unchanged.
 *
 * <p>The copy goes through DL4J's own JSON form of the layer (the form {@code ModelSerializer} writes), with the class
 * name changed and the recurrent drop rate added: every field DL4J's import or the network's global defaults set
 * (activations, initializers, regularization, constraints, updaters, data format, nIn and nOut) is carried over, also
 * the ones the {@code VariationalLSTM.Builder} has no setter for, and the {@code VariationalLSTM}'s own JSON checks
 * validate the rate. {@code VariationalLSTM} extends DL4J's {@code LSTM} and keeps its parameter layout
 * ({@code W}, {@code RW}, {@code b}), so the Keras weights copy in by name as into DL4J's LSTM.
 */
final class VariationalLstms {

    private VariationalLstms() {
    }

    /**
     * @param lstm              DL4J's LSTM configuration (not modified)
     * @param inputDropout      the input dropout of the new layer, or null for none
     * @param recurrentDropRate the recurrent drop rate, in [0, 1)
     * @return a new {@code VariationalLSTM} equal to {@code lstm} in every LSTM setting but the input dropout
     * @throws IllegalStateException if DL4J's JSON form of the layer cannot be read back (another DL4J version)
     */
    static VariationalLSTM of(LSTM lstm, IDropout inputDropout, double recurrentDropRate) {
        ObjectMapper mapper = JsonMappers.getMapper();
        try {
            ObjectNode json = mapper.valueToTree(lstm);
            json.put("@class", VariationalLSTM.class.getName());
            json.set("recurrentDropoutSchedule", mapper.valueToTree(new FixedSchedule(recurrentDropRate)));
            json.remove("idropout");
            VariationalLSTM variational = (VariationalLSTM) mapper.treeToValue(json, Layer.class);
            variational.setIDropout(inputDropout);
            return variational;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot turn the LSTM configuration of layer '" + lstm.getLayerName()
                    + "' into a VariationalLSTM through its JSON form (DL4J version other than 1.0.0-M2.1?)", e);
        }
    }
}
