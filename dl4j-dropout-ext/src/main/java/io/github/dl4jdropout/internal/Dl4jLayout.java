package io.github.dl4jdropout.internal;

import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.layers.RepeatVector;
import org.deeplearning4j.nn.layers.convolution.Convolution1DLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.Deconvolution2DLayer;
import org.deeplearning4j.nn.layers.convolution.Deconvolution3DLayer;
import org.deeplearning4j.nn.layers.convolution.SpaceToDepth;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.layers.recurrent.GravesLSTM;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;

/**
 * Which memory layout DL4J 1.0.0-M2.1 hands to an {@code IDropout}, which is not always the layer's data format.
 *
 * <p>Read from the M2.1 sources and confirmed by the gradient checks: for channels-last layers (NWC, NHWC),
 * <ul>
 *   <li>{@code LSTM} permutes its input to NCW <em>before</em> applying dropout, and computes its gradients from
 *       the undropped input (see {@link #rejectChannelsLastLstm});</li>
 *   <li>{@code GravesLSTM}, {@code SimpleRnn} and {@code ConvolutionLayer} (and the layers that reuse its
 *       {@code backpropGradient}) apply dropout to the channels-last input but call {@code IDropout.backprop} with
 *       the gradient still in the channels-first layout they compute in;</li>
 *   <li>every other layer uses its own format in both directions.</li>
 * </ul>
 * An {@code IDropout} is not told which layer calls it, so the calling layer class is read from the stack (one
 * frame walk per call; negligible next to the mask op).
 */
public final class Dl4jLayout {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Dl4jLayout() {
    }

    /**
     * Rejects a channels-last dropout called from inside DL4J's {@code LSTM}. In NWC format that layer permutes its
     * input to NCW, applies dropout to the permuted copy, then restores the undropped input and computes its
     * gradients from it: the loss sees dropped inputs, the gradients do not. This affects every {@code IDropout},
     * DL4J's own included; a dropout that knows its format is NWC can at least refuse.
     *
     * @param owner the dropout, for the message
     * @throws IllegalStateException if the caller is an LSTM layer
     */
    public static void rejectChannelsLastLstm(String owner) {
        if (callingLayer().map(LSTM.class::isAssignableFrom).orElse(false)) {
            throw new IllegalStateException(owner + " is on an LSTM layer in NWC format. DL4J 1.0.0-M2.1's LSTM"
                    + " applies dropout to an NCW copy of its NWC input and then computes its gradients from the"
                    + " undropped input, so training would be silently wrong (DL4J's own Dropout included). Use"
                    + " RNNFormat.NCW for the LSTM, or put the dropout on a DropoutLayer before it:"
                    + " new DropoutLayer.Builder().dropOut(Dropouts.timeShared(rate, RNNFormat.NWC)).build()");
        }
    }

    /** Runtime layers that declare the method applying their dropout and never call its backprop. */
    private static final Set<Class<?>> NO_DROPOUT_BACKPROP = Set.of(Convolution1DLayer.class,
            Deconvolution2DLayer.class, Deconvolution3DLayer.class, SpaceToDepth.class, RepeatVector.class);

    /** How deep to look for the training entry point above a layer's forward pass (it is 5 to 15 frames up). */
    private static final int TRAINING_FRAME_LIMIT = 64;

    /**
     * Refuses to apply dropout inside a training step ({@code computeGradientAndScore} of a network or graph) when
     * the calling DL4J layer never passes its gradient back through the dropout: {@code Convolution1DLayer},
     * {@code Convolution3DLayer} (recognised by its rank-5 input in {@code ConvolutionLayer.activate}, which it
     * inherits), {@code Deconvolution2D/3D}, {@code SpaceToDepth} and {@code RepeatVector}. Forward-only passes
     * ({@code output(x, true)}, Monte Carlo sampling) are correct there and are allowed.
     *
     * @param owner the dropout, for the message
     * @param rank  rank of the activations being dropped
     * @throws IllegalStateException inside a training step on such a layer
     */
    public static void rejectLayerWithoutDropoutBackprop(String owner, int rank) {
        String layer = WALKER.walk(frames -> {
            String found = null;
            boolean inLayers = false;
            boolean training = false;
            for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames.limit(TRAINING_FRAME_LIMIT)
                    ::iterator) {
                Class<?> c = f.getDeclaringClass();
                if (AbstractLayer.class.isAssignableFrom(c)) {
                    inLayers = true;
                    if (found == null && NO_DROPOUT_BACKPROP.contains(c)) {
                        found = c.getSimpleName();
                    } else if (found == null && c == ConvolutionLayer.class && rank != 4) {
                        found = rank == 5 ? "Convolution3DLayer" : "Convolution1DLayer";
                    }
                } else if (inLayers && found == null) {
                    return null;
                }
                if ((MultiLayerNetwork.class.isAssignableFrom(c) || ComputationGraph.class.isAssignableFrom(c))
                        && f.getMethodName().equals("computeGradientAndScore")) {
                    training = true;
                    break;
                }
            }
            return training ? found : null;
        });
        if (layer != null) {
            throw new IllegalStateException(owner + " is on a DL4J " + layer + ", whose backward pass in DL4J"
                    + " 1.0.0-M2.1 never passes the gradient through the dropout mask, so the layers before it would"
                    + " train with wrong gradients (DL4J's own dropout classes fail the same way, silently). Remove"
                    + " the dropout from this layer and put it in a dropout layer right before it:"
                    + " .layer(Dropouts.layer(...)) in a list builder, or .addLayer(name, Dropouts.layer(...), input)"
                    + " in a graph. Dropouts.checkFormats(conf) and DropoutAudit report this before training.");
        }
    }

    /**
     * @return whether the backward dropout call in progress receives the gradient in the channels-first layout
     * whatever the layer's format
     */
    public static boolean backpropIsChannelsFirst() {
        return callingLayer().map(c -> LSTM.class.isAssignableFrom(c) || GravesLSTM.class.isAssignableFrom(c)
                || SimpleRnn.class.isAssignableFrom(c) || ConvolutionLayer.class.isAssignableFrom(c)).orElse(false);
    }

    /** The declaring class of the first DL4J layer method on the stack that is not AbstractLayer's helper. */
    private static Optional<Class<?>> callingLayer() {
        return WALKER.walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                .filter(c -> AbstractLayer.class.isAssignableFrom(c) && c != AbstractLayer.class)
                .findFirst());
    }

    /**
     * The permutation that takes channels-last activations of a rank to channels-first.
     *
     * @param rank 3, 4 or 5
     * @return for example {@code [0, 3, 1, 2]} for rank 4
     */
    public static int[] toChannelsFirst(int rank) {
        int[] perm = new int[rank];
        perm[1] = rank - 1;
        for (int i = 2; i < rank; i++) {
            perm[i] = i - 1;
        }
        return perm;
    }
}
