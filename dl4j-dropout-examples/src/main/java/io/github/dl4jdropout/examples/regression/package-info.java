/**
 * Monte Carlo dropout for regression: predictive intervals on a 1-D noisy function with a gap in the training
 * data, which widen where the network has seen no data (Gal and Ghahramani 2016).
 */
package io.github.dl4jdropout.examples.regression;
