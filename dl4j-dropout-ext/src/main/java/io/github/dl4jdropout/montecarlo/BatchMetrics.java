package io.github.dl4jdropout.montecarlo;

import java.math.BigDecimal;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.classification.EvaluationBinary;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Computes the {@link PredictionMetrics} of one minibatch from predictions in rows layout ({@code [m, k]} double,
 * see {@link OutputLayout}), with ND4J reductions over the batch.
 */
final class BatchMetrics {

    private BatchMetrics() {
    }

    /**
     * @param probabilities      {@code [m, k]} predicted distributions
     * @param labels             {@code [m, k]} one-hot (or soft) labels
     * @param weights            {@code [m]} 1 for scored rows, 0 for masked ones
     * @param mutualInformation  {@code [m]} per-row BALD values, or null for standard inference
     */
    static ClassificationMetrics classification(INDArray probabilities, INDArray labels, INDArray weights,
            INDArray mutualInformation, int bins, boolean monteCarlo) {
        long count = Math.round(weights.sumNumber().doubleValue());
        INDArray correct = Nd4j.argMax(probabilities, 1).eq(Nd4j.argMax(labels, 1)).castTo(DataType.DOUBLE);
        long nCorrect = Math.round(weightedSum(correct, weights));

        INDArray logP = Transforms.log(Transforms.max(probabilities, PredictionMetrics.PROBABILITY_FLOOR, true), false);
        INDArray nll = logP.mul(labels).sum(1).negi();
        INDArray diff = probabilities.sub(labels);
        INDArray brier = diff.muli(diff).sum(1);
        INDArray entropy = SampleAccumulator.entropyPerRow(probabilities);

        CalibrationBins calibration = CalibrationBins.of(probabilities.max(1), correct, weights, bins);

        Evaluation evaluation = new Evaluation();
        evaluation.eval(labels, probabilities, maskColumn(weights, count));
        return new ClassificationMetrics(monteCarlo, count, nCorrect, exact(weightedSum(nll, weights), "nll"),
                exact(weightedSum(brier, weights), "brier"), exact(weightedSum(entropy, weights), "entropy"),
                mutualInformation == null ? null : exact(weightedSum(mutualInformation, weights), "mutual information"),
                calibration, evaluation);
    }

    /**
     * @param probabilities     {@code [m, k]} per-label probabilities
     * @param labels            {@code [m, k]} labels in {@code [0, 1]}
     * @param weights           {@code [m]} 1 for scored rows, 0 for masked ones
     * @param mutualInformation {@code [m, k]} per-label BALD values, or null for standard inference
     */
    static MultiLabelMetrics multiLabel(INDArray probabilities, INDArray labels, INDArray weights,
            INDArray mutualInformation, int bins, boolean monteCarlo) {
        long count = Math.round(weights.sumNumber().doubleValue());
        int k = (int) probabilities.size(1);
        INDArray labelPositive = labels.gt(0.5).castTo(DataType.DOUBLE);
        INDArray right = probabilities.gt(0.5).castTo(DataType.DOUBLE).eq(labelPositive).castTo(DataType.DOUBLE);
        long exactMatches = Math.round(weightedSum(right.min(1), weights));
        long correctLabels = Math.round(weightedSum(right.sum(1), weights));

        double floor = PredictionMetrics.PROBABILITY_FLOOR;
        INDArray clamped = Transforms.min(Transforms.max(probabilities, floor, true), 1.0 - floor, false);
        INDArray crossEntropy = Transforms.log(clamped, true).muli(labels)
                .addi(Transforms.log(clamped.rsub(1.0), false).muli(labels.rsub(1.0))).negi().sum(1);
        INDArray diff = probabilities.sub(labels);
        INDArray brier = diff.muli(diff).sum(1);
        INDArray entropy = SampleAccumulator.binaryEntropy(probabilities).sum(1);

        long m = weights.length();
        INDArray valueWeights = Nd4j.ones(DataType.DOUBLE, m, k).muliColumnVector(weights.reshape(m, 1))
                .reshape('c', new long[] {m * k});
        CalibrationBins calibration = CalibrationBins.of(probabilities.reshape('c', new long[] {m * k}),
                labels.reshape('c', new long[] {m * k}), valueWeights, bins);

        // DL4J's evaluation gets the scored rows only, and binary labels, so that its counts are whole numbers.
        EvaluationBinary evaluation = new EvaluationBinary();
        if (count == m) {
            evaluation.eval(labelPositive, probabilities);
        } else if (count > 0) {
            int[] scored = scoredRows(weights);
            evaluation.eval(labelPositive.getRows(scored), probabilities.getRows(scored));
        }
        return new MultiLabelMetrics(monteCarlo, count, k, exactMatches, correctLabels,
                exact(weightedSum(crossEntropy, weights), "binary cross-entropy"),
                exact(weightedSum(brier, weights), "brier"), exact(weightedSum(entropy, weights), "entropy"),
                mutualInformation == null ? null
                        : exact(weightedSum(mutualInformation.sum(1), weights), "mutual information"),
                calibration, evaluation);
    }

    private static int[] scoredRows(INDArray weights) {
        double[] w = weights.toDoubleVector();
        return IntStream.range(0, w.length).filter(i -> w[i] != 0).toArray();
    }

    /**
     * @param mean        {@code [m, k]} predicted values (the Monte Carlo average, or the deterministic output)
     * @param labels      {@code [m, k]} targets
     * @param weights     {@code [m]} 1 for scored rows, 0 for masked ones
     * @param variance    {@code [m, k]} Monte Carlo predictive variance, or null for standard inference
     * @param logMeanExp  {@code [m, k]} {@code log mean_t exp(-tau/2 (y - f_t)^2)} of the Monte Carlo samples
     *                    ({@link SampleAccumulator#logMeanExpRows()}), or null for standard inference (computed here
     *                    from {@code mean} with T = 1) or without a precision
     * @param precision   observation precision tau in the units of the scaled targets, or empty
     * @param targetScale factor applied to {@code mean}, {@code labels} (and the square root of it to
     *                    {@code variance}) before scoring
     */
    static RegressionMetrics regression(INDArray mean, INDArray labels, INDArray weights, INDArray variance,
            INDArray logMeanExp, OptionalDouble precision, double targetScale, boolean monteCarlo) {
        long count = Math.round(weights.sumNumber().doubleValue());
        long valueCount = count * mean.size(1);
        INDArray scaledMean = mean.mul(targetScale);
        INDArray scaledLabels = labels.mul(targetScale);
        INDArray scaledVariance = variance == null ? null : variance.mul(targetScale * targetScale);
        INDArray err = scaledMean.sub(scaledLabels);
        INDArray squared = err.muli(err);
        BigDecimal sse = exact(weightedSum(squared.sum(1), weights), "squared error");

        BigDecimal logLikelihood = null;
        BigDecimal gaussianNll = null;
        if (precision.isPresent() && monteCarlo && logMeanExp == null) {
            throw new IllegalStateException("the Monte Carlo log-likelihood needs the samples' streamed log-mean-exp");
        }
        if (precision.isPresent()) {
            double tau = precision.getAsDouble();
            double constant = 0.5 * Math.log(tau) - 0.5 * Math.log(2 * Math.PI);
            INDArray ll = logMeanExp != null ? logMeanExp.add(constant) : squared.mul(-0.5 * tau).addi(constant);
            logLikelihood = exact(weightedSum(ll.sum(1), weights), "log-likelihood");
        }
        if (scaledVariance != null || precision.isPresent()) {
            INDArray s2 = scaledVariance == null ? Nd4j.zerosLike(mean) : scaledVariance.dup();
            if (precision.isPresent()) {
                s2.addi(1.0 / precision.getAsDouble());
            }
            s2 = Transforms.max(s2, PredictionMetrics.VARIANCE_FLOOR, false);
            INDArray nll = Transforms.log(s2.mul(2 * Math.PI), false).addi(squared.div(s2)).muli(0.5);
            gaussianNll = exact(weightedSum(nll.sum(1), weights), "Gaussian nll");
        }
        BigDecimal varianceSum = scaledVariance == null ? null
                : exact(weightedSum(scaledVariance.sum(1), weights), "variance");

        RegressionEvaluation evaluation = new RegressionEvaluation(mean.size(1));
        evaluation.eval(scaledLabels, scaledMean, maskColumn(weights, count));
        return new RegressionMetrics(monteCarlo, count, valueCount, sse, logLikelihood, gaussianNll, varianceSum,
                precision, targetScale, evaluation);
    }

    private static INDArray maskColumn(INDArray weights, long count) {
        return count == weights.length() ? null : weights.reshape(weights.length(), 1);
    }

    static double weightedSum(INDArray values, INDArray weights) {
        return values.mul(weights).sumNumber().doubleValue();
    }

    /** The exact decimal value of a double; a non-finite value means the model produced NaN or infinity. */
    static BigDecimal exact(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("the " + what + " of a minibatch is " + value
                    + ": the model produced non-finite outputs");
        }
        return new BigDecimal(value);
    }
}
