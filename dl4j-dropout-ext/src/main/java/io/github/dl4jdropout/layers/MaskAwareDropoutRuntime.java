package io.github.dl4jdropout.layers;

import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.SpatialFormat;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.DataLayout;
import io.github.dl4jdropout.internal.facts.DropoutFit;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.DropoutLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;

/**
 * The runtime of {@link MaskAwareDropoutLayer}: DL4J's dropout layer with masks broadcast by layout and the input
 * never modified in place.
 */
final class MaskAwareDropoutRuntime extends DropoutLayer {

    private static final long serialVersionUID = 1L;

    MaskAwareDropoutRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private MaskAwareDropoutLayer layerConfig() {
        return (MaskAwareDropoutLayer) conf.getLayer();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        IDropout dropout = layerConfig().getIDropout();
        INDArray ret;
        if (training && dropout != null) {
            checkLayout(dropout);
            INDArray result = inputModificationAllowed ? input
                    : workspaceMgr.createUninitialized(ArrayType.INPUT, input.dataType(), input.shape(),
                    input.ordering());
            ret = dropout.applyDropout(input, result, getIterationCount(), getEpochCount(), workspaceMgr);
        } else {
            ret = input;
        }
        if (maskArray != null) {
            if (ret == input && !inputModificationAllowed) {
                ret = workspaceMgr.dup(ArrayType.ACTIVATIONS, input);
            }
            applyMask(ret, maskArray, dropout);
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, ret);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray delta = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
        if (maskArray != null) {
            applyMask(delta, maskArray, layerConfig().getIDropout());
        }
        delta = backpropDropOutIfPresent(delta);
        return new Pair<>(new DefaultGradient(), delta);
    }

    /**
     * The layout of the input as far as the recorded input type and the input's shape prove it; null if they cannot
     * (then the configuration checks, which know the layer before, are the ones that catch a mismatch).
     */
    private DataLayout inputLayout() {
        return DataLayout.matching(layerConfig().recordedInputType(), input.shape());
    }

    /** Refuses a format-aware dropout whose layout does not match the input's. */
    private void checkLayout(IDropout dropout) {
        DropoutFit.Mismatch mismatch = DropoutFit.check(dropout, inputLayout());
        if (mismatch != null) {
            throw new IllegalStateException(describeLayer() + ": " + mismatch.problem() + " Use Dropouts.layer("
                    + mismatch.fix() + ").");
        }
    }

    /** Multiplies {@code x} in place by the features mask, broadcast according to the layout. */
    private void applyMask(INDArray x, INDArray mask, IDropout dropout) {
        INDArray m = mask.dataType() == x.dataType() ? mask : mask.castTo(x.dataType());
        long[] xShape = x.shape();
        long[] mShape = m.shape();
        if (Arrays.equals(xShape, mShape)) {
            x.muli(m);
            return;
        }
        long n = xShape[0];
        if (m.length() == n && (m.rank() == 1 || (m.rank() == 2 && mShape[1] == 1))) {
            x.muliColumnVector(m.reshape(n, 1));
            return;
        }
        if (x.rank() == 3 && m.rank() == 2 && mShape[0] == n) {
            int time = sequenceLayout(x, mShape[1], dropout).timeDimension();
            Broadcast.mul(x, m, x, 0, time);
            return;
        }
        throw new IllegalStateException(describeLayer() + " received a features mask of shape " + Checks.shape(mShape)
                + " for activations of shape " + Checks.shape(xShape) + "; accepted: the activations' shape, ["
                + n + "] or [" + n + ", 1] per example, or [" + n + ", time] for sequences");
    }

    /** The layout of rank-3 activations: recorded, else the dropout's declared format, else from the shapes. */
    private DataLayout sequenceLayout(INDArray x, long steps, IDropout dropout) {
        DataLayout layout = DataLayout.matching(layerConfig().recordedInputType(), x.shape());
        if (layout == null && dropout instanceof TimeSharedDropout) {
            layout = DataLayout.of(((TimeSharedDropout) dropout).dataFormat());
        }
        if (layout == null && dropout instanceof SpatialChannelDropout
                && ((SpatialChannelDropout) dropout).dataFormat() != SpatialFormat.CHANNELS_FIRST) {
            layout = ((SpatialChannelDropout) dropout).dataFormat().channelsLast() ? DataLayout.NWC : DataLayout.NCW;
        }
        if (layout == null && layerConfig().recordedInputType() != null) {
            // Shape and type cannot tell (features == time): DL4J's tag, right after recurrent and 1-D layers.
            layout = layerConfig().recordedInputLayout();
        }
        if (layout == null) {
            boolean ncw = x.size(2) == steps;
            boolean nwc = x.size(1) == steps;
            if (ncw == nwc) {
                throw new IllegalStateException(describeLayer() + " cannot tell whether its input of shape "
                        + Checks.shape(x.shape()) + " is NCW or NWC from a features mask of shape [" + x.size(0)
                        + ", " + steps + "]; configure the network with setInputType(InputType.recurrent(...)) so the"
                        + " layer knows its input layout");
            }
            layout = ncw ? DataLayout.NCW : DataLayout.NWC;
        }
        if (!layout.isSequence() || x.size(layout.timeDimension()) != steps) {
            throw new IllegalStateException(describeLayer() + " received a features mask with " + steps
                    + " time steps for " + layout + " activations of shape " + Checks.shape(x.shape()));
        }
        return layout;
    }

    private String describeLayer() {
        String name = layerConfig().getLayerName();
        return "MaskAwareDropoutLayer" + (name == null ? "" : " '" + name + "'") + " (index " + getIndex() + ")";
    }
}
