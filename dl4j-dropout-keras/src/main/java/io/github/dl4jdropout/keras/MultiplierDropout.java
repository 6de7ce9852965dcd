package io.github.dl4jdropout.keras;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.Dl4jLayout;
import io.github.dl4jdropout.internal.ForwardOnly;
import io.github.dl4jdropout.internal.MaskMemory;
import io.github.dl4jdropout.internal.MaskStack;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The element-wise noise of Keras' noise layers that multiply each activation by a random factor:
 * {@code out = (x - shift) * m + offset}, where the multiplier {@code m} is drawn per element and {@code shift} and
 * {@code offset} are constants of the rate. The gradient is {@code dL/dx = dL/dout * m}.
 *
 * <p>Like the dropout variants of dl4j-dropout-ext, the multipliers of a training step are kept per thread and per
 * layer ({@link MaskStack}), never in a field, so one instance may sit on several layers; arrays go where DL4J's
 * contract puts them, the INPUT workspace, except in {@code ComputationGraph.output(true, ...)}, which leaves that
 * workspace closed (DL4J's own {@code GaussianDropout} and {@code AlphaDropout} fail there with "Workspace ... for
 * array type INPUT is not open"). In Monte Carlo sampling ({@link ForwardOnly}) nothing is kept.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
abstract class MultiplierDropout implements IDropout {

    private static final long serialVersionUID = 1L;

    @JsonProperty("dropRate")
    private final double dropRate;

    private transient volatile MaskStack multipliers;

    /**
     * @param dropRate the Keras {@code rate}, in {@code [0, 1)}
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)}
     */
    MultiplierDropout(double dropRate) {
        this.dropRate = Checks.dropRate("dropRate", dropRate);
    }

    /**
     * Returns the Keras {@code rate} this noise was configured with.
     *
     * @return the rate, in {@code [0, 1)}; 0 passes activations through unchanged
     */
    public final double dropRate() {
        return dropRate;
    }

    /** Fills {@code target} with independent multipliers for every element. */
    abstract void sampleMultipliers(INDArray target);

    /** @return the constant subtracted from the input before multiplying (0 for pure multiplicative noise) */
    abstract double shift();

    /** @return the constant added after multiplying (0 for pure multiplicative noise) */
    abstract double offset();

    @Override
    public final INDArray applyDropout(INDArray inputActivations, INDArray resultArray, int iteration, int epoch,
                                       LayerWorkspaceMgr workspaceMgr) {
        INDArray input = inputActivations;
        if (input != resultArray && input.dataType() != resultArray.dataType()) {
            input = input.castTo(resultArray.dataType());
        }
        long[] shape = inputActivations.shape();
        if (dropRate == 0.0) {
            if (input != resultArray) {
                resultArray.assign(input);
            }
            multipliers().push(new MaskStack.Entry(null, null, shape, iteration, epoch));
            return resultArray;
        }
        boolean keep = !ForwardOnly.active();
        INDArray m = keep ? MaskMemory.allocate(workspaceMgr, resultArray.dataType(), shape, resultArray.ordering())
                : Nd4j.createUninitialized(resultArray.dataType(), shape, resultArray.ordering());
        sampleMultipliers(m);
        double shift = shift();
        if (shift != 0.0) {
            if (input != resultArray) {
                resultArray.assign(input);
                input = resultArray;
            }
            resultArray.subi(shift);
        }
        Nd4j.getExecutioner().exec(new MulOp(input, m, resultArray));
        double offset = offset();
        if (offset != 0.0) {
            resultArray.addi(offset);
        }
        if (keep) {
            multipliers().push(new MaskStack.Entry(m, null, shape, iteration, epoch));
        } else if (m.closeable()) {
            m.close();
        }
        return resultArray;
    }

    @Override
    public final INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        MaskStack.Entry entry = multipliers().pop(toString(), gradAtOutput.shape(), iteration, epoch);
        INDArray m = entry.mask();
        if (m == null) {
            if (gradAtInput != gradAtOutput) {
                gradAtInput.assign(gradAtOutput);
            }
            return gradAtInput;
        }
        if (m.dataType() != gradAtInput.dataType()) {
            m = m.castTo(gradAtInput.dataType());
        }
        if (entry.permutedToChannelsFirst()) {
            // Some DL4J layers hand the gradient channels-first although they applied dropout channels-last.
            m = m.permute(Dl4jLayout.toChannelsFirst(gradAtOutput.rank()));
        }
        Nd4j.getExecutioner().exec(new MulOp(gradAtOutput, m, gradAtInput));
        return gradAtInput;
    }

    @Override
    public final void clear() {
        multipliers().clear();
    }


    /** Created lazily and transient, so that copies (clone, Jackson, Java serialization) never share it. */
    private MaskStack multipliers() {
        MaskStack s = multipliers;
        if (s == null) {
            synchronized (this) {
                s = multipliers;
                if (s == null) {
                    s = new MaskStack();
                    multipliers = s;
                }
            }
        }
        return s;
    }

    @Override
    public abstract MultiplierDropout clone();

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass()
                && Double.compare(dropRate, ((MultiplierDropout) o).dropRate) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * getClass().hashCode() + Double.hashCode(dropRate);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(dropRate=" + dropRate + ")";
    }
}
