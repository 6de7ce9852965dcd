/**
 * Dropout in an LSTM on sequential MNIST, in the regime where it matters (a small training set, an LSTM without
 * dropout that overfits): DL4J's per-step masks, time-shared masks, {@code VariationalLSTM}'s recurrent dropout and
 * recurrent-weight dropout, over several seeds, with Monte Carlo evaluation.
 */
package io.github.dl4jdropout.examples.rnn;
