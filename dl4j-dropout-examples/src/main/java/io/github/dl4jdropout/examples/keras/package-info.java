/**
 * Monte Carlo dropout on a model trained in Keras: import it with its dropout kept (dl4j-dropout-keras), audit it,
 * sample it and print the predictive uncertainty.
 */
package io.github.dl4jdropout.examples.keras;
