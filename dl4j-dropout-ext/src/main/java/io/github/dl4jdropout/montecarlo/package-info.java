/**
 * Monte Carlo dropout for DL4J: ensemble-averaged predictions with uncertainty, and side-by-side evaluation against
 * standard inference (Srivastava et al. 2014, section 7.5; Gal &amp; Ghahramani 2016).
 *
 * <p>Start with {@link io.github.dl4jdropout.montecarlo.MonteCarloEvaluator#builder(
 * org.deeplearning4j.nn.multilayer.MultiLayerNetwork)}. The output is read as one of three
 * {@link io.github.dl4jdropout.montecarlo.McTask tasks}: classification (softmax), multi-label (sigmoid) or
 * regression (identity). {@link io.github.dl4jdropout.montecarlo.McPrediction} holds one batch's mean, variance,
 * predictive entropy and mutual information; {@link io.github.dl4jdropout.montecarlo.McReport} holds an
 * evaluation's {@link io.github.dl4jdropout.montecarlo.PredictionMetrics} for both inferences, one class per task
 * ({@link io.github.dl4jdropout.montecarlo.ClassificationMetrics},
 * {@link io.github.dl4jdropout.montecarlo.MultiLabelMetrics}, {@link io.github.dl4jdropout.montecarlo.RegressionMetrics}),
 * and merges exactly across parts of a dataset. {@link io.github.dl4jdropout.montecarlo.McSampling} chooses between
 * per-example masks and one thinned network per sample. The forward-pass engines, the thinned dense layers, the
 * streaming accumulator, the input and task checks and the per-batch metric computation are package-private.
 *
 * <p>Every method refuses a null argument with an {@code IllegalArgumentException} naming the parameter.
 */
package io.github.dl4jdropout.montecarlo;
