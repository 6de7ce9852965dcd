package io.github.dl4jdropout.internal;

/**
 * Marks forward passes on the current thread after which no backward pass can follow, so that this library's
 * dropout variants need not keep their masks.
 *
 * <p>The Monte Carlo evaluator samples with layers in training mode but never calls backprop. Inside a
 * {@link #enter()} scope an element-wise dropout applies ND4J's {@code DropOut} op straight to the activations (one
 * random op instead of drawing a mask, scaling it and multiplying), and keeps nothing for a backward pass; a backprop
 * call would then fail with the usual "no matching forward pass" error rather than use a wrong mask. Outside a scope
 * (training, {@code output(x, true)}) nothing changes. Not part of the public API.
 */
public final class ForwardOnly {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private ForwardOnly() {
    }

    /** A forward-only scope on the current thread; scopes nest. */
    public static Scope enter() {
        DEPTH.get()[0]++;
        return new Scope();
    }

    /** True inside a {@link #enter()} scope on the current thread. */
    public static boolean active() {
        return DEPTH.get()[0] > 0;
    }

    /** Ends a forward-only scope when closed. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                DEPTH.get()[0]--;
            }
        }
    }
}
