package io.github.dl4jdropout.montecarlo;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Streaming statistics of the Monte Carlo samples of one minibatch: per output value the sum and the sum of
 * squares of the samples' deviation from the deterministic output (a shift that keeps the variance accurate when
 * outputs are large and the spread small), and per row the sum of the samples' entropies. All in double; memory is
 * independent of the number of samples unless raw samples are kept.
 */
final class SampleAccumulator {

    /** Smallest positive normal double: {@code p log p} is then exactly 0 for {@code p == 0}. */
    private static final double LOG_FLOOR = Double.MIN_NORMAL;

    private final OutputLayout layout;
    private final McTask task;
    private final long[] outputShape;
    private final int examples;
    private final long rows;
    private final long channels;
    private final DataType outputType;
    private final INDArray shiftRows;
    private final INDArray shiftFlat;
    private final INDArray sum;
    private final INDArray sumOfSquares;
    private final INDArray entropySum;
    private final List<INDArray> kept;
    private int samples;

    SampleAccumulator(OutputLayout layout, McTask task, INDArray deterministicOutput, boolean keepSamples) {
        this.layout = layout;
        this.task = task;
        this.outputShape = deterministicOutput.shape();
        this.examples = (int) outputShape[0];
        this.outputType = deterministicOutput.dataType();
        this.shiftRows = layout.toRows(deterministicOutput);
        this.rows = shiftRows.size(0);
        this.channels = shiftRows.size(1);
        this.shiftFlat = shiftRows.reshape('c', 1, rows * channels);
        this.sum = Nd4j.zeros(DataType.DOUBLE, rows * channels);
        this.sumOfSquares = Nd4j.zeros(DataType.DOUBLE, rows * channels);
        this.entropySum = task == McTask.CLASSIFICATION ? Nd4j.zeros(DataType.DOUBLE, rows) : null;
        this.kept = keepSamples ? new ArrayList<>() : null;
    }

    /** Adds {@code replicas} samples: the model output of the replicated batch, replica-major. */
    void add(INDArray replicatedOutput, int replicas) {
        INDArray sampleRows = layout.toRows(replicatedOutput);
        if (entropySum != null) {
            entropySum.addi(entropyPerRow(sampleRows).reshape('c', replicas, rows).sum(0));
        }
        INDArray flat = sampleRows.reshape('c', replicas, rows * channels);
        if (kept != null) {
            try (MemoryWorkspace detached = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                kept.add(flat.dup());
            }
        }
        INDArray deviation = flat.subiRowVector(shiftFlat);
        sum.addi(deviation.sum(0));
        sumOfSquares.addi(deviation.muli(deviation).sum(0));
        samples += replicas;
    }

    int samples() {
        return samples;
    }

    /** Ensemble mean, {@code [rows, channels]}. */
    INDArray meanRows() {
        return shiftRows.add(sum.div(samples).reshape('c', rows, channels));
    }

    /** Population variance across samples (divided by T), {@code [rows, channels]}, never negative. */
    INDArray varianceRows() {
        INDArray meanDeviation = sum.div(samples);
        INDArray v = sumOfSquares.div(samples).subi(meanDeviation.mul(meanDeviation));
        return Transforms.max(v, 0.0, false).reshape('c', rows, channels);
    }

    /** Mean over samples of each sample's entropy (the aleatoric part), {@code [rows]}. */
    INDArray expectedEntropyRows() {
        return entropySum.div(samples);
    }

    /** Entropy {@code -sum_k p_k log p_k} in nats of each row of {@code p} ({@code [m, k]}), as {@code [m]}. */
    static INDArray entropyPerRow(INDArray p) {
        INDArray logP = Transforms.log(Transforms.max(p, LOG_FLOOR, true), false);
        return logP.muli(p).sum(1).negi();
    }

    /** Packs the statistics into the public result, in the model's output layout and data type. */
    McPrediction toPrediction(INDArray deterministicOutput) {
        INDArray meanRows = meanRows();
        INDArray mean = toModelLayout(meanRows);
        INDArray variance = toModelLayout(varianceRows());
        INDArray entropy = null;
        INDArray expectedEntropy = null;
        INDArray mutualInformation = null;
        if (task == McTask.CLASSIFICATION) {
            long[] perRow = layout.perRowShape(outputShape);
            INDArray h = entropyPerRow(meanRows);
            INDArray eh = expectedEntropyRows();
            INDArray mi = Transforms.max(h.sub(eh), 0.0, false);
            entropy = h.reshape('c', perRow).castTo(outputType);
            expectedEntropy = eh.reshape('c', perRow).castTo(outputType);
            mutualInformation = mi.reshape('c', perRow).castTo(outputType);
        }
        INDArray raw = null;
        if (kept != null) {
            INDArray all = Nd4j.vstack(kept.toArray(new INDArray[0])).reshape('c', (long) samples * rows, channels);
            INDArray model = layout.fromRows(all, outputShape, (long) samples * examples);
            long[] shape = new long[outputShape.length + 1];
            shape[0] = samples;
            System.arraycopy(outputShape, 0, shape, 1, outputShape.length);
            raw = model.reshape('c', shape).castTo(outputType);
        }
        return new McPrediction(task, samples, mean, variance, entropy, expectedEntropy, mutualInformation,
                deterministicOutput, raw);
    }

    private INDArray toModelLayout(INDArray rowsArray) {
        return layout.fromRows(rowsArray, outputShape, examples).castTo(outputType);
    }
}
