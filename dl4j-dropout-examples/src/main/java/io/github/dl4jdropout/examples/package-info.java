/**
 * Runnable examples of dl4j-dropout, each measuring a claim about dropout: {@code mlp} (standard dropout and Monte
 * Carlo averaging), {@code cnn} (standard against spatial dropout on feature maps, NCHW and NHWC), {@code rnn}
 * (per-step, time-shared and recurrent dropout in an LSTM), {@code uncertainty} (Monte Carlo uncertainty on rotated
 * digits and noise), {@code regression} (Monte Carlo predictive intervals on a 1-D curve) and {@code keras} (Monte
 * Carlo dropout on a model imported from Keras with its dropout).
 * {@link io.github.dl4jdropout.examples.Examples} is the command-line entry point of {@code ./run-example}; each
 * example is a class with {@code run(Options)} that returns a result record. They use only the library's public API.
 * See docs/examples.md.
 */
package io.github.dl4jdropout.examples;
