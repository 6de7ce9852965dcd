package io.github.dl4jdropout.montecarlo;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The stopping rule of the adaptive sample count ({@link MonteCarloEvaluator.Builder#stopWhenStable}): stable when
 * no value of the running predictive mean, nor of the mutual information for classification and multi-label
 * outputs, moved by as much as the tolerance since the previous check (so a tolerance of 0 never stops).
 */
final class StabilityCheck {

    private final double tolerance;
    private final McTask task;
    private INDArray previousMean;
    private INDArray previousInformation;

    StabilityCheck(double tolerance, McTask task) {
        this.tolerance = tolerance;
        this.task = task;
    }

    /** Compares the accumulator's current statistics with those of the previous call, then remembers them. */
    boolean isStable(SampleAccumulator acc) {
        INDArray mean = acc.meanRows();
        INDArray information = task == McTask.REGRESSION ? null : acc.mutualInformationRows();
        boolean stable = previousMean != null && maxChange(previousMean, mean) < tolerance
                && (information == null || maxChange(previousInformation, information) < tolerance);
        previousMean = mean;
        previousInformation = information;
        return stable;
    }

    private static double maxChange(INDArray before, INDArray after) {
        return Transforms.abs(after.sub(before), false).maxNumber().doubleValue();
    }
}
