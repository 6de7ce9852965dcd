/**
 * Keras model import that keeps dropout: {@link io.github.dl4jdropout.keras.KerasDropoutImport} imports HDF5 files
 * like DL4J's {@code KerasModelImport} and gives every Keras dropout and noise setting its Keras meaning, with a report
 * of what each became ({@link io.github.dl4jdropout.keras.LayerMapping}), or refuses it
 * ({@link io.github.dl4jdropout.keras.UnsupportedKerasDropoutException}).
 *
 * <p>Also here: the two noise layers whose Keras semantics DL4J 1.0.0-M2.1 cannot run everywhere
 * ({@link io.github.dl4jdropout.keras.GaussianMultiplicativeDropout},
 * {@link io.github.dl4jdropout.keras.SeluAlphaDropout}) and a crash-free Keras {@code Orthogonal} initializer
 * ({@link io.github.dl4jdropout.keras.KerasOrthogonalInit}). Their class names are stored in saved models.
 *
 * <p>Everything else in this package is package-private: reading the HDF5 attributes, the mapping rules and the
 * configuration edits. {@code docs/keras-import.md} has the full mapping table.
 *
 * @since 0.2.0
 */
package io.github.dl4jdropout.keras;
