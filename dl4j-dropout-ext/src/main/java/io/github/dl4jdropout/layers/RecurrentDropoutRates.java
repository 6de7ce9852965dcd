package io.github.dl4jdropout.layers;

import io.github.dl4jdropout.dropout.RecurrentWeightDropout;
import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.MaskMemory;
import java.util.Map;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What the variational recurrent layers ({@link VariationalLSTM}, {@link VariationalSimpleRnn}) share: the checks of
 * their recurrent drop rate, the refusal of DL4J's {@code RecurrentWeightDropout}, and the recurrent mask of a
 * training-mode pass (one per example and sequence, scaled by {@code 1 / (1 - rate)}).
 */
final class RecurrentDropoutRates {

    /** State-map key of the recurrent mask of a stream (truncated BPTT, stored-state passes in training mode). */
    static final String STATE_KEY_RECURRENT_MASK = "recurrentDropoutMask";

    private RecurrentDropoutRates() {
    }

    /** Checks a recurrent drop rate schedule as the builders and JSON reading do. */
    static ISchedule checked(ISchedule schedule) {
        Checks.notNull("recurrentDropout", schedule, "an ISchedule giving the recurrent drop rate");
        if (schedule instanceof FixedSchedule) {
            Checks.dropRate("recurrentDropout", schedule.valueAt(0, 0));
        }
        return schedule;
    }

    /** Whether the schedule can yield a rate other than 0 (false only for a constant 0). */
    static boolean active(ISchedule schedule) {
        return !(schedule instanceof FixedSchedule && schedule.valueAt(0, 0) == 0.0);
    }

    /** For toString: {@code recurrentDropRate=0.25} or {@code recurrentDropRateSchedule=...}. */
    static String describe(ISchedule schedule) {
        return schedule instanceof FixedSchedule ? "recurrentDropRate=" + schedule.valueAt(0, 0)
                : "recurrentDropRateSchedule=" + schedule;
    }

    /**
     * @return the message refusing DL4J's {@code recurrentWeights} noise on a variational layer, or null if the noise
     *         is something else
     */
    static String recurrentWeightsRefusal(String layerClass, IWeightNoise noise, String where) {
        if (!(noise instanceof RecurrentWeightDropout)) {
            return null;
        }
        return layerClass + " " + where + " has weight noise " + noise + ", which does not apply to this layer. Use"
                + " .recurrentDropout(rate) for dropout on the recurrent connections (one mask per example instead of"
                + " one per minibatch), and set recurrentWeights(...) per layer, only on DL4J's LSTM, GravesLSTM and"
                + " SimpleRnn.";
    }

    /**
     * The recurrent mask of a training-mode pass: {@code current} if already drawn for this input, else the stream's,
     * else a new one ({@code [minibatch, hidden]}, 'f' order, zeros and {@code 1 / (1 - dropRate)}). Null when the
     * rate is 0.
     *
     * @param stream the state map of a stream, or null for a pass on its own
     * @throws IllegalStateException if the stream's mask is for another minibatch size
     */
    static INDArray mask(double dropRate, INDArray current, long minibatch, long hidden, DataType dataType,
                         Map<String, INDArray> stream, LayerWorkspaceMgr workspaceMgr, String layerName) {
        if (dropRate == 0.0) {
            return null;
        }
        if (current != null && current.size(0) == minibatch) {
            return current;
        }
        INDArray mask = stream == null ? null : stream.get(STATE_KEY_RECURRENT_MASK);
        if (mask != null && mask.size(0) != minibatch) {
            throw new IllegalStateException(layerName + ": the stored recurrent dropout mask is for a minibatch of "
                    + mask.size(0) + " examples but the input has " + minibatch + "; call rnnClearPreviousState()"
                    + " between streams of different minibatch size");
        }
        if (mask == null) {
            // A stream's mask outlives this pass's workspaces, as DL4J's stored state does; otherwise the mask
            // lives where DL4J keeps the dropped input, until backprop.
            mask = stream == null ? MaskMemory.allocate(workspaceMgr, dataType, new long[]{minibatch, hidden}, 'f')
                    : Nd4j.createUninitializedDetached(dataType, 'f', minibatch, hidden);
            // Ones with probability 1 - dropRate, scaled; zeros elsewhere (one random op, one scalar op).
            Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - dropRate));
            mask.muli(1.0 / (1.0 - dropRate));
        }
        return mask;
    }
}
