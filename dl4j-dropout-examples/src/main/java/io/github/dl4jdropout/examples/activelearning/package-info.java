/**
 * Active learning on MNIST with Monte Carlo dropout: BALD acquisition against random acquisition (Gal, Islam and
 * Ghahramani 2017), {@code ./run-example active-learning}.
 */
package io.github.dl4jdropout.examples.activelearning;
