/**
 * What every example shares, so that each example class holds only its experiment: the command line declared once
 * per example ({@link io.github.dl4jdropout.examples.support.CommandLine},
 * {@link io.github.dl4jdropout.examples.support.Option}, the shared options of
 * {@link io.github.dl4jdropout.examples.support.CommonFlags}, validation in
 * {@link io.github.dl4jdropout.examples.support.Require}),
 * MNIST through DL4J's iterator (filled from npm where DL4J's download site cannot be reached), the training loop
 * with progress bars, audit printing, result tables and CSV files of training histories and Monte Carlo reports, and
 * PNG plots in one style. Not part of the library's API.
 */
package io.github.dl4jdropout.examples.support;
