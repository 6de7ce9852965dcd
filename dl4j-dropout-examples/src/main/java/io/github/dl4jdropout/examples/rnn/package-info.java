/** Dropout in an LSTM on sequential MNIST: DL4J's per-step masks, time-shared masks, recurrent-connection dropout. */
package io.github.dl4jdropout.examples.rnn;
