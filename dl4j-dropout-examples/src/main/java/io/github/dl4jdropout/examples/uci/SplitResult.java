package io.github.dl4jdropout.examples.uci;

/**
 * What one fixed split gave: the settings the grid search chose on the validation part, and the test metrics in the
 * target's original units, for Monte Carlo dropout and for standard (weight-scaling) inference.
 *
 * @param split         0-based split number
 * @param dropRate      chosen drop rate
 * @param tau           chosen observation precision, target units
 * @param validationLl  the Monte Carlo validation log-likelihood of the chosen setting
 * @param mcRmse        test RMSE of the Monte Carlo mean
 * @param mcLl          test log-likelihood of the Monte Carlo mixture (logsumexp over samples minus log T)
 * @param standardRmse  test RMSE of standard inference (one pass, dropout off)
 * @param standardLl    test log-likelihood of standard inference: a Gaussian with precision tau around its output
 * @param seconds       wall time of the split, grid search included
 */
public record SplitResult(int split, double dropRate, double tau, double validationLl, double mcRmse, double mcLl,
                          double standardRmse, double standardLl, double seconds) {
}
