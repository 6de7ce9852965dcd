package io.github.dl4jdropout.internal.facts;

/**
 * A dropout placement that trains wrongly or fails, found in a configuration: {@code Dropouts.checkFormats} throws
 * on it, the audit reports it as an error and the Monte Carlo evaluator refuses the model.
 */
public final class Problem {

    /** The kinds of problem; the audit maps each to one of its checks. */
    public enum Kind {
        /**
         * A variant whose layout does not match its activations, time-shared dropout on a layer that flattens
         * sequences, recurrent-weight dropout on a layer without recurrent weights, or dropout on DL4J's NWC LSTM.
         */
        FORMAT_MISMATCH,
        /** Dropout on a layer whose backward pass ignores the dropout mask (Conv1D, Conv3D, ...). */
        NOT_BACKPROPAGATED
    }

    private final Kind kind;
    private final LayerNode node;
    private final String problem;
    private final String fix;

    Problem(Kind kind, LayerNode node, String problem, String fix) {
        this.kind = kind;
        this.node = node;
        this.problem = problem;
        this.fix = fix;
    }

    /** @return the kind of problem */
    public Kind kind() {
        return kind;
    }

    /** @return the layer it is on */
    public LayerNode node() {
        return node;
    }

    /** @return what is wrong and what happens, sentences without the layer's location */
    public String problem() {
        return problem;
    }

    /** @return what to do instead, as code or a short instruction */
    public String fix() {
        return fix;
    }

    /** @return the location, the problem and the fix as one paragraph */
    @Override
    public String toString() {
        return node.location() + ": " + problem + " Fix: " + fix + ".";
    }
}
