/**
 * Monte Carlo dropout on Apache Spark: {@link io.github.dl4jdropout.spark.SparkMonteCarlo} scores data sets larger
 * than one machine with the single-machine {@link io.github.dl4jdropout.montecarlo.MonteCarloEvaluator} on every
 * partition and merges the partial {@link io.github.dl4jdropout.montecarlo.McReport reports} exactly, so the
 * distributed report equals the single-machine one for the same minibatches and seed, whatever the partitioning.
 *
 * <p>Spark is a {@code provided} dependency of this module (Spark 3.5.x, Scala 2.13): the cluster, or
 * {@code spark-submit}, brings it. Everything except {@code SparkMonteCarlo} is package-private.
 *
 * @since 0.4.0
 */
package io.github.dl4jdropout.spark;
