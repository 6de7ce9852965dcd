/**
 * Layer configurations of this library: DL4J layers that implement a dropout scheme DL4J's {@code IDropout} and
 * {@code IWeightNoise} hooks cannot express, such as {@link io.github.dl4jdropout.layers.VariationalLSTM} (the
 * recurrent dropout of Gal and Ghahramani 2016, Keras {@code LSTM(recurrent_dropout=...)}) and
 * {@link io.github.dl4jdropout.layers.VariationalSimpleRnn} (the same for a simple RNN, Keras
 * {@code SimpleRNN(recurrent_dropout=...)}).
 *
 * <p>Each public class here is a layer configuration used like DL4J's own, in a {@code MultiLayerConfiguration} or a
 * {@code ComputationGraphConfiguration}; the layers that run it are package-private. Class names and JSON fields are
 * part of the saved-model format (DL4J stores the class name in every saved model): they are not renamed.
 *
 * @since 0.2.0
 */
package io.github.dl4jdropout.layers;
