/**
 * UCI regression with Monte Carlo dropout (Gal and Ghahramani 2016, Table 1): the paper's data sets, splits and
 * grids ({@link io.github.dl4jdropout.examples.uci.UciDataset}), its network and weight decay
 * ({@link io.github.dl4jdropout.examples.uci.UciNetwork}), and the example that runs the protocol and compares
 * with the paper ({@link io.github.dl4jdropout.examples.uci.UciExample}).
 */
package io.github.dl4jdropout.examples.uci;
