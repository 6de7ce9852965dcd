/**
 * The uncertainty toolkit: what to do with Monte Carlo dropout predictions once you have them, computed from what
 * {@link io.github.dl4jdropout.montecarlo.MonteCarloEvaluator} produces ({@link
 * io.github.dl4jdropout.montecarlo.McPrediction}'s mean, entropy, mutual information and, with
 * {@code keepSamples(true)}, the raw samples).
 *
 * <ul>
 *   <li>{@link io.github.dl4jdropout.uncertainty.UncertaintyScore}: per-example scores (predictive entropy, mutual
 *       information, variation ratio, max softmax, margin), higher meaning less certain;</li>
 *   <li>calibration: {@link io.github.dl4jdropout.uncertainty.TemperatureScaling} fitted on a validation set, for
 *       standard and Monte Carlo predictions, and {@link io.github.dl4jdropout.uncertainty.ReliabilityBins} for
 *       reliability diagrams;</li>
 *   <li>selective prediction: {@link io.github.dl4jdropout.uncertainty.RiskCoverage} (risk-coverage curve, AURC,
 *       accuracy at a coverage);</li>
 *   <li>out-of-distribution detection: {@link io.github.dl4jdropout.uncertainty.OodMetrics} (AUROC, AUPR, FPR at
 *       95% TPR);</li>
 *   <li>active learning: {@link io.github.dl4jdropout.uncertainty.Acquisition} (top-k by a score, random) and
 *       {@link io.github.dl4jdropout.uncertainty.BatchBald}.</li>
 * </ul>
 * The adaptive sample count lives on the evaluator
 * ({@link io.github.dl4jdropout.montecarlo.MonteCarloEvaluator.Builder#stopWhenStable(double, int)}).
 *
 * <p>Only classification outputs of shape {@code [n, k]} are handled; every method refuses a null argument with an
 * {@code IllegalArgumentException} naming the parameter. Computations run in double on Java arrays (sorting and
 * short loops), except BatchBALD's matrix products.
 *
 * @since 0.3.0
 */
package io.github.dl4jdropout.uncertainty;
