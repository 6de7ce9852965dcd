/**
 * Runnable examples of dl4j-dropout on MNIST, each measuring a claim about dropout: {@code mlp} (standard dropout and
 * Monte Carlo averaging), {@code cnn} (standard against spatial dropout on feature maps, NCHW and NHWC) and
 * {@code rnn} (per-step, time-shared and recurrent dropout in an LSTM). {@link io.github.dl4jdropout.examples.Examples}
 * is the command-line entry point of {@code ./run-example}; each example is a class with {@code run(Options)} that
 * returns a result record. They use only the library's public API ({@code io.github.dl4jdropout.Dropouts}).
 * See docs/examples.md.
 */
package io.github.dl4jdropout.examples;
