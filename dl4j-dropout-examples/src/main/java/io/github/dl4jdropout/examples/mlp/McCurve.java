package io.github.dl4jdropout.examples.mlp;

import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Test error of Monte Carlo averaging against the number k of sampled networks averaged (Srivastava et al. 2014,
 * Figure 11), next to standard inference. One set of T stochastic passes gives every point: the mean of the first k
 * kept samples, for each k.
 *
 * @param standardError  test error of standard (weight-scaling) inference
 * @param standardLoss   test cross-entropy of standard inference
 * @param errorBySamples element {@code k - 1} is the test error when the class probabilities of k sampled networks
 *                       are averaged
 * @param lossBySamples  element {@code k - 1} is the test cross-entropy of that average
 */
public record McCurve(double standardError, double standardLoss, double[] errorBySamples, double[] lossBySamples) {

    /** Checks the lengths. */
    public McCurve {
        if (errorBySamples.length == 0 || errorBySamples.length != lossBySamples.length) {
            throw new IllegalArgumentException("errorBySamples and lossBySamples need the same length, at least 1; got "
                    + errorBySamples.length + " and " + lossBySamples.length);
        }
    }

    /** @return the largest k, the number of samples T */
    public int maxSamples() {
        return errorBySamples.length;
    }

    /** @param k number of samples, 1 to {@link #maxSamples()} @return the error with k samples */
    public double errorAt(int k) {
        return errorBySamples[k - 1];
    }

    /** @param k number of samples, 1 to {@link #maxSamples()} @return the cross-entropy with k samples */
    public double lossAt(int k) {
        return lossBySamples[k - 1];
    }

    /**
     * The curve over several minibatches: {@link #of(McPrediction, INDArray)} of each, averaged with the minibatch
     * sizes as weights (exact for errors and mean losses). Memory holds the kept samples of one minibatch at a time.
     *
     * @param evaluator an evaluator built with {@code keepSamples(true)}
     * @param batches   the test examples, with labels
     * @return standard-inference error and loss, and the Monte Carlo error and loss for k = 1..T, over all batches
     * @throws IllegalArgumentException if {@code batches} is empty
     */
    public static McCurve of(MonteCarloEvaluator evaluator, List<DataSet> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("batches must hold at least one minibatch, got none");
        }
        int maxK = evaluator.samples();
        double[] errors = new double[maxK];
        double[] losses = new double[maxK];
        double standardError = 0;
        double standardLoss = 0;
        long n = 0;
        for (DataSet batch : batches) {
            McCurve part = of(evaluator.predict(batch.getFeatures()), batch.getLabels());
            int m = batch.numExamples();
            for (int k = 0; k < maxK; k++) { // T numbers per minibatch, not per element
                errors[k] += part.errorBySamples[k] * m;
                losses[k] += part.lossBySamples[k] * m;
            }
            standardError += part.standardError * m;
            standardLoss += part.standardLoss * m;
            n += m;
        }
        for (int k = 0; k < maxK; k++) {
            errors[k] /= n;
            losses[k] /= n;
        }
        return new McCurve(standardError / n, standardLoss / n, errors, losses);
    }

    /**
     * The curve from kept samples: for each k, the class probabilities of the first k sampled networks are averaged
     * (a cumulative mean along the sample dimension, all k at once) and scored.
     *
     * @param prediction a prediction of an evaluator built with {@code keepSamples(true)}: raw samples
     *                   {@code [T, n, classes]} and the deterministic (standard inference) output {@code [n, classes]}
     * @param labels     one-hot labels {@code [n, classes]}
     * @return standard-inference error and loss, and the Monte Carlo error and loss for k = 1..T
     * @throws IllegalStateException if the prediction holds no raw samples
     */
    public static McCurve of(McPrediction prediction, INDArray labels) {
        INDArray samples = prediction.samples().castTo(DataType.DOUBLE);
        long maxK = samples.size(0);
        long n = samples.size(1);
        INDArray y = labels.castTo(DataType.DOUBLE);
        // cumulative sum over samples divided by k = 1..T: meanOfFirst[k - 1] is the average of samples 0..k-1
        INDArray ks = Nd4j.arange(1, maxK + 1).castTo(DataType.DOUBLE).reshape(maxK, 1, 1);
        INDArray meanOfFirst = samples.cumsum(0).divi(ks); // [T, n, classes] / [T, 1, 1], broadcast
        INDArray wrong = meanOfFirst.argMax(2).neq(y.argMax(1).reshape(1, n).broadcast(maxK, n))
                .castTo(DataType.DOUBLE);
        double[] errors = wrong.mean(1).toDoubleVector();
        // probability of the true class, floored like Training.score so the losses compare with standard inference
        INDArray pTrue = meanOfFirst.muli(y.reshape(1, n, y.size(1))).sum(2); // broadcast over the T samples
        double[] losses = Transforms.log(Transforms.max(pTrue, 1e-12), false).mean(1).negi().toDoubleVector();
        Training.Score standard = Training.score(prediction.deterministic(), labels);
        return new McCurve(standard.error(), standard.loss(), errors, losses);
    }
}
