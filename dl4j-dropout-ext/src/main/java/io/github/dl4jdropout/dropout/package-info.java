/**
 * Dropout variants that plug into DL4J layer configuration through {@code IDropout} and {@code IWeightNoise}:
 * {@link io.github.dl4jdropout.dropout.InvertedDropout} (standard),
 * {@link io.github.dl4jdropout.dropout.TimeSharedDropout} (one mask per sequence),
 * {@link io.github.dl4jdropout.dropout.SpatialChannelDropout} (whole channels, every DL4J data format) and
 * {@link io.github.dl4jdropout.dropout.RecurrentWeightDropout} (recurrent connections). Create them through
 * {@link io.github.dl4jdropout.Dropouts}. Class names and fields are part of the saved-model format (DL4J stores the
 * class name in JSON): they are not renamed.
 */
package io.github.dl4jdropout.dropout;
