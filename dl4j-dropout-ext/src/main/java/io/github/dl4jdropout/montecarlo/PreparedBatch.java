package io.github.dl4jdropout.montecarlo;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One minibatch after its deterministic forward pass: the inputs, the standard (weight-scaling) output, the
 * activations that the stochastic part of the network consumes (computed once, replicated for every chunk of
 * samples), and an estimate of the memory one replicated example needs in the stochastic part.
 */
final class PreparedBatch {

    private final INDArray[] features;
    private final INDArray[] featureMasks;
    private final int minibatch;
    private final INDArray deterministicOutput;
    private final Map<Integer, INDArray> cachedActivations;
    private final long bytesPerReplicatedExample;

    PreparedBatch(INDArray[] features, INDArray[] featureMasks, int minibatch, INDArray deterministicOutput,
            Map<Integer, INDArray> cachedActivations, long bytesPerReplicatedExample) {
        this.features = features;
        this.featureMasks = featureMasks;
        this.minibatch = minibatch;
        this.deterministicOutput = deterministicOutput;
        this.cachedActivations = cachedActivations;
        this.bytesPerReplicatedExample = bytesPerReplicatedExample;
    }

    INDArray[] features() {
        return features;
    }

    /** The feature masks, one per network input (entries may be null), or null for none. */
    INDArray[] featureMasks() {
        return featureMasks;
    }

    int minibatch() {
        return minibatch;
    }

    INDArray deterministicOutput() {
        return deterministicOutput;
    }

    /** Activations of the deterministic part keyed by layer index (networks) or vertex index (graphs). */
    Map<Integer, INDArray> cachedActivations() {
        return cachedActivations;
    }

    long bytesPerReplicatedExample() {
        return bytesPerReplicatedExample;
    }
}
