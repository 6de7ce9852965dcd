package io.github.dl4jdropout.dropout;

import io.github.dl4jdropout.internal.Dl4jLayout;
import io.github.dl4jdropout.internal.ForwardOnly;
import io.github.dl4jdropout.internal.MaskMemory;
import io.github.dl4jdropout.internal.MaskStack;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.ops.random.impl.DropOut;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What every mask-based dropout of this library shares: a drop rate (constant or scheduled), inverted scaling
 * (kept values are multiplied by {@code 1 / (1 - dropRate)}, so nothing changes at inference), and masks held per
 * layer and per thread ({@link MaskStack}), never in a single field of the configuration object.
 *
 * <p>Subclasses say only which dimensions one mask value spans; the rest (validation, mask generation with ND4J's
 * Bernoulli op, broadcasting, backprop) lives here once.
 */
abstract class BaseMaskedDropout extends ScheduledDropRate implements IDropout {

    private static final long serialVersionUID = 1L;

    private transient volatile MaskStack masks;

    /**
     * @param dropRateSchedule the drop rate, as a schedule; a {@link FixedSchedule} value is checked here
     * @throws IllegalArgumentException if the schedule is null or a fixed rate is outside {@code [0, 1)}
     */
    BaseMaskedDropout(ISchedule dropRateSchedule) {
        super(dropRateSchedule);
    }

    /**
     * The dimensions of the activations that one mask value is drawn for; the mask is broadcast along the others.
     * Also checks that the activations have a shape this dropout accepts.
     *
     * @param activations the activations about to be dropped
     * @return the mask's dimensions in increasing order, or null for one mask value per element
     * @throws IllegalStateException if the activations' rank or layout is not accepted
     */
    abstract int[] maskDimensions(INDArray activations);

    @Override
    public INDArray applyDropout(INDArray inputActivations, INDArray resultArray, int iteration, int epoch,
                                 LayerWorkspaceMgr workspaceMgr) {
        int[] dimensions = maskDimensions(inputActivations);
        double dropRate = dropRateAt(iteration, epoch);
        INDArray input = inputActivations;
        if (input != resultArray && input.dataType() != resultArray.dataType()) {
            input = input.castTo(resultArray.dataType());
        }
        long[] shape = inputActivations.shape();
        if (dropRate == 0.0) {
            if (input != resultArray) {
                resultArray.assign(input);
            }
            masks().push(new MaskStack.Entry(null, null, shape, iteration, epoch));
            return resultArray;
        }

        boolean forwardOnly = ForwardOnly.active();
        if (!forwardOnly) {
            Dl4jLayout.rejectLayerWithoutDropoutBackprop(toString(), inputActivations.rank());
        }
        if (dimensions == null && forwardOnly) {
            // No backward pass can follow (Monte Carlo sampling): drop and scale without materializing a mask.
            Nd4j.getExecutioner().exec(new DropOut(input, resultArray, 1.0 - dropRate));
            return resultArray.muli(1.0 / (1.0 - dropRate));
        }

        long[] maskShape = shape;
        char order = resultArray.ordering();
        if (dimensions != null) {
            maskShape = new long[dimensions.length];
            for (int i = 0; i < dimensions.length; i++) {
                maskShape[i] = shape[dimensions[i]];
            }
            order = 'c';
        }
        INDArray mask = MaskMemory.allocate(workspaceMgr, resultArray.dataType(), maskShape, order);
        // Zeros with probability dropRate, 1 / (1 - dropRate) elsewhere. ND4J's Bernoulli op plus a scalar multiply
        // is about four times faster than assign(1) plus DropOutInverted, which DL4J's Dropout uses (benchmarks.md).
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - dropRate));
        mask.muli(1.0 / (1.0 - dropRate));
        multiply(input, mask, dimensions, resultArray);
        masks().push(new MaskStack.Entry(mask, dimensions, shape, iteration, epoch));
        return resultArray;
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        MaskStack.Entry entry = masks().pop(toString(), gradAtOutput.shape(), iteration, epoch);
        INDArray mask = entry.mask();
        if (mask == null) {
            if (gradAtInput != gradAtOutput) {
                gradAtInput.assign(gradAtOutput);
            }
            return gradAtInput;
        }
        if (mask.dataType() != gradAtInput.dataType()) {
            mask = mask.castTo(gradAtInput.dataType());
        }
        int[] dimensions = entry.broadcastDimensions();
        if (entry.permutedToChannelsFirst()) {
            // DL4J passes this gradient channels-first although the forward activations were channels-last.
            int rank = gradAtOutput.rank();
            if (dimensions == null) {
                mask = mask.permute(Dl4jLayout.toChannelsFirst(rank));
            } else {
                dimensions = new int[]{0, 1};
            }
        }
        // dL/dIn = dL/dOut * mask: the mask already holds 0 or 1 / (1 - dropRate).
        multiply(gradAtOutput, mask, dimensions, gradAtInput);
        return gradAtInput;
    }


    private static void multiply(INDArray x, INDArray mask, int[] dimensions, INDArray result) {
        if (dimensions == null) {
            Nd4j.getExecutioner().exec(new MulOp(x, mask, result));
        } else {
            Broadcast.mul(x, mask, result, dimensions);
        }
    }

    @Override
    public void clear() {
        masks().clear();
    }

    /**
     * The masks waiting for backprop. Transient and created lazily, so that a copy made by Java serialization,
     * Jackson or {@link #clone()} never shares them.
     */
    final MaskStack masks() {
        MaskStack m = masks;
        if (m == null) {
            synchronized (this) {
                m = masks;
                if (m == null) {
                    m = new MaskStack();
                    masks = m;
                }
            }
        }
        return m;
    }

    @Override
    public abstract BaseMaskedDropout clone();
}
