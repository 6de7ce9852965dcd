package io.github.dl4jdropout.spark;

import java.io.Serializable;
import java.util.Objects;

import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;

/**
 * The evaluator settings that travel to the executors with every task (a few numbers; the model itself goes once,
 * as a broadcast). Each executor rebuilds its {@link MonteCarloEvaluator} from them through the evaluator's own
 * builder, the same validation path as on the driver. Unset optional values are null: the evaluator's defaults
 * apply.
 */
final class McSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    int samples = MonteCarloEvaluator.DEFAULT_SAMPLES;
    long seed = MonteCarloEvaluator.DEFAULT_SEED;
    long memoryBudgetBytes = MonteCarloEvaluator.DEFAULT_MEMORY_BUDGET_BYTES;
    boolean reusePrefix = true;
    int calibrationBins = MonteCarloEvaluator.DEFAULT_CALIBRATION_BINS;
    McTask task;
    Double observationPrecision;
    Double targetScale;
    String output;

    McSettings copy() {
        McSettings c = new McSettings();
        c.samples = samples;
        c.seed = seed;
        c.memoryBudgetBytes = memoryBudgetBytes;
        c.reusePrefix = reusePrefix;
        c.calibrationBins = calibrationBins;
        c.task = task;
        c.observationPrecision = observationPrecision;
        c.targetScale = targetScale;
        c.output = output;
        return c;
    }

    /** Sets every value on an evaluator builder, in the order that the builder's checks expect. */
    MonteCarloEvaluator.Builder applyTo(MonteCarloEvaluator.Builder b) {
        b.samples(samples).seed(seed).memoryBudgetBytes(memoryBudgetBytes).reusePrefix(reusePrefix)
                .calibrationBins(calibrationBins);
        if (task != null) {
            b.task(task);
        }
        if (observationPrecision != null) {
            b.observationPrecision(observationPrecision);
        }
        if (targetScale != null) {
            b.targetScale(targetScale);
        }
        if (output != null) {
            b.output(output);
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof McSettings)) {
            return false;
        }
        McSettings s = (McSettings) o;
        return samples == s.samples && seed == s.seed && memoryBudgetBytes == s.memoryBudgetBytes
                && reusePrefix == s.reusePrefix && calibrationBins == s.calibrationBins && task == s.task
                && Objects.equals(observationPrecision, s.observationPrecision)
                && Objects.equals(targetScale, s.targetScale) && Objects.equals(output, s.output);
    }

    @Override
    public int hashCode() {
        return Objects.hash(samples, seed, memoryBudgetBytes, reusePrefix, calibrationBins, task, output);
    }

    @Override
    public String toString() {
        return "samples=" + samples + ", seed=" + seed + ", memoryBudgetBytes=" + memoryBudgetBytes + ", reusePrefix="
                + reusePrefix + ", calibrationBins=" + calibrationBins + (task == null ? "" : ", task=" + task)
                + (observationPrecision == null ? "" : ", observationPrecision=" + observationPrecision)
                + (targetScale == null ? "" : ", targetScale=" + targetScale)
                + (output == null ? "" : ", output=" + output);
    }
}
