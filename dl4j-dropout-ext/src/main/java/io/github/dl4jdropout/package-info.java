/**
 * dl4j-dropout: dropout variants with drop-rate semantics for DL4J ({@link io.github.dl4jdropout.Dropouts}), and
 * Monte Carlo dropout evaluation ({@code io.github.dl4jdropout.montecarlo}).
 */
package io.github.dl4jdropout;
