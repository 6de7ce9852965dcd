package io.github.dl4jdropout.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dropout masks of one dropout instance that wait for their backward pass, kept per thread.
 *
 * <p>DL4J layer builders do not copy an {@code IDropout}: one instance given to several layers (or set on the global
 * {@code NeuralNetConfiguration.Builder} and copied by reference) is called by all of them. DL4J's own {@code Dropout}
 * keeps a single mask field, so the second layer overwrites the first layer's mask and backprop fails. This stack
 * makes a shared instance behave like one instance per layer: DL4J runs the forward pass of a
 * {@code MultiLayerNetwork} in layer order and of a {@code ComputationGraph} in topological order, and the backward
 * pass in exactly the reverse order, so the mask a backward call needs is always the most recent one not yet used.
 * Each pop is checked against the gradient's shape and the (iteration, epoch) of its forward pass, so a pairing that
 * went wrong is reported instead of silently using another layer's mask.
 *
 * <p>Masks of an earlier iteration can never be needed again (backprop of iteration k always precedes the forward pass
 * of iteration k + 1), so they are dropped when a forward pass of a new iteration pushes. {@link #clear()} empties the
 * stack; DL4J calls it (through {@code IDropout.clear()}) at the end of every forward-only pass and every fit.
 */
public final class MaskStack {

    /** One forward application: the mask (null for an identity pass) and how to apply it. */
    public static final class Entry {
        private final INDArray mask;
        private final int[] broadcastDimensions;
        private final long[] activationShape;
        private final int iteration;
        private final int epoch;
        private boolean permutedToChannelsFirst;

        /**
         * @param mask                the mask, already scaled; null when the forward pass was the identity
         * @param broadcastDimensions dimensions of the activations the mask spans (null: the mask has the
         *                            activations' full shape)
         * @param activationShape     shape of the activations the mask was applied to
         * @param iteration           iteration of the forward pass
         * @param epoch               epoch of the forward pass
         */
        public Entry(INDArray mask, int[] broadcastDimensions, long[] activationShape, int iteration, int epoch) {
            this.mask = mask;
            this.broadcastDimensions = broadcastDimensions;
            this.activationShape = activationShape;
            this.iteration = iteration;
            this.epoch = epoch;
        }

        /** @return the mask, or null when the forward pass was the identity */
        public INDArray mask() {
            return mask;
        }

        /** @return the dimensions the mask spans, or null for a full-shape mask */
        public int[] broadcastDimensions() {
            return broadcastDimensions;
        }

        /** @return whether the backward pass got its gradient permuted to channels-first (see {@link Dl4jLayout}) */
        public boolean permutedToChannelsFirst() {
            return permutedToChannelsFirst;
        }
    }

    private final ThreadLocal<Deque<Entry>> entries = ThreadLocal.withInitial(ArrayDeque::new);

    /**
     * Records the mask of a forward pass.
     *
     * @param entry the forward pass's mask
     */
    public void push(Entry entry) {
        Deque<Entry> stack = entries.get();
        Entry top = stack.peek();
        if (top != null && (top.iteration != entry.iteration || top.epoch != entry.epoch)) {
            // Left over from a forward pass of an earlier iteration that had no backward pass.
            release(stack);
        }
        stack.push(entry);
    }

    /**
     * Takes the mask for a backward pass.
     *
     * @param owner         description of the dropout, for messages
     * @param gradientShape shape of the gradient at the dropout's output
     * @param iteration     iteration of the backward pass
     * @param epoch         epoch of the backward pass
     * @return the entry of the matching forward pass
     * @throws IllegalStateException if there is no forward pass waiting, or the most recent one does not match
     */
    public Entry pop(String owner, long[] gradientShape, int iteration, int epoch) {
        Deque<Entry> stack = entries.get();
        Entry top = stack.poll();
        if (top == null) {
            throw new IllegalStateException(owner + ": backprop called without a matching forward pass in training"
                    + " mode on this thread (gradient shape " + Checks.shape(gradientShape) + "); the mask was"
                    + " already used or cleared");
        }
        boolean sameShape = Arrays.equals(top.activationShape, gradientShape);
        boolean permuted;
        if (top.broadcastDimensions == null) {
            // Element-wise mask, layout unknown: only the shapes can tell.
            permuted = !sameShape && isChannelsFirstOf(top.activationShape, gradientShape);
        } else if (top.broadcastDimensions[1] != 1) {
            // Channels-last activations: DL4J's layer class decides the gradient's layout.
            permuted = Dl4jLayout.backpropIsChannelsFirst();
        } else {
            permuted = false;
        }
        boolean shapeOk = permuted ? isChannelsFirstOf(top.activationShape, gradientShape) : sameShape;
        if (!shapeOk && top.iteration == iteration && top.epoch == epoch
                && isPermutationOf(top.activationShape, gradientShape)) {
            stack.clear();
            throw new IllegalStateException(owner + ": backprop received a gradient of shape "
                    + Checks.shape(gradientShape) + " for activations of shape " + Checks.shape(top.activationShape)
                    + ": the same sizes in another order, which means the layer computes in a different data format"
                    + " than this dropout was declared for (for example Dropouts.spatial(rate, CNN2DFormat.NCHW) on"
                    + " an NHWC convolution, which also drops the wrong slices in the forward pass). Declare the"
                    + " layer's format in the dropout, e.g. Dropouts.spatial(rate, CNN2DFormat.NHWC) or"
                    + " Dropouts.timeShared(rate, RNNFormat.NWC); Dropouts.checkFormats(conf) lists every mismatch"
                    + " before training, including those where all sizes are equal and nothing fails");
        }
        if (!shapeOk || top.iteration != iteration || top.epoch != epoch) {
            stack.clear();
            throw new IllegalStateException(owner + ": backprop received a gradient of shape "
                    + Checks.shape(gradientShape) + " at iteration " + iteration + ", epoch " + epoch
                    + ", but the most recent forward pass waiting for backprop had activations of shape "
                    + Checks.shape(top.activationShape) + " at iteration " + top.iteration + ", epoch " + top.epoch
                    + ". Forward and backward passes of this shared dropout instance are not in reverse order;"
                    + " give each layer its own instance (dropout.clone())");
        }
        top.permutedToChannelsFirst = permuted;
        return top;
    }

    /**
     * Whether {@code gradientShape} is {@code activationShape} with its last dimension moved to position 1: DL4J's
     * GravesLSTM, SimpleRnn and ConvolutionLayer backprop dropout with a channels-first gradient even when their
     * activations are channels-last (see {@link Dl4jLayout}).
     */
    private static boolean isChannelsFirstOf(long[] activationShape, long[] gradientShape) {
        if (activationShape.length < 3 || activationShape.length != gradientShape.length) {
            return false;
        }
        int[] perm = Dl4jLayout.toChannelsFirst(activationShape.length);
        for (int i = 0; i < perm.length; i++) {
            if (gradientShape[i] != activationShape[perm[i]]) {
                return false;
            }
        }
        return true;
    }

    /** Whether two shapes of the same rank (at least 3) hold the same sizes in a different order. */
    private static boolean isPermutationOf(long[] a, long[] b) {
        if (a.length < 3 || a.length != b.length || Arrays.equals(a, b)) {
            return false;
        }
        long[] x = a.clone();
        long[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
    }

    /**
     * Forgets every mask of the calling thread. Masks outside any workspace are released at once: their native
     * memory would otherwise wait for the garbage collector, which a small Java heap rarely runs.
     */
    public void clear() {
        release(entries.get());
    }

    private static void release(Deque<Entry> stack) {
        for (Entry e : stack) {
            if (e.mask != null && !e.mask.isAttached() && e.mask.closeable()) {
                e.mask.close();
            }
        }
        stack.clear();
    }

    /** @return how many forward passes of the calling thread wait for backprop (for tests and diagnostics) */
    public int pending() {
        return entries.get().size();
    }
}
