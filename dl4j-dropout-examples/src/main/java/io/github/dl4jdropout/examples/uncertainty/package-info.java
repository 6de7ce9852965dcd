/**
 * Monte Carlo dropout as a "don't know" signal on MNIST: uncertainty against rotation angle, out-of-distribution
 * detection (AUROC) and reliability diagrams of Monte Carlo against standard inference.
 */
package io.github.dl4jdropout.examples.uncertainty;
