package io.github.dl4jdropout.spark;

import java.io.Serializable;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * A network saved with {@code ModelSerializer} (without updater), whether it is a ComputationGraph, and the data
 * type of its parameters (features built from DataFrame rows are cast to it).
 */
final class ModelBytes implements Serializable {

    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private final boolean graph;
    private final DataType dataType;

    ModelBytes(byte[] bytes, boolean graph, DataType dataType) {
        this.bytes = bytes;
        this.graph = graph;
        this.dataType = dataType;
    }

    byte[] bytes() {
        return bytes;
    }

    boolean isGraph() {
        return graph;
    }

    DataType dataType() {
        return dataType;
    }
}
