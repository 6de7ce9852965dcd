package io.github.dl4jdropout.internal;

/**
 * A layer configuration of this library that records the layout of its input when DL4J tells it the input type
 * ({@code setInputType} on the network builder). The network checks read it instead of guessing from neighbours.
 */
public interface LayoutAwareLayer {

    /**
     * @return the layout of the layer's input as recorded from the network's input types, or null if DL4J never
     * told the layer (the network was configured without {@code setInputType}/{@code setInputTypes})
     */
    DataLayout recordedInputLayout();
}
