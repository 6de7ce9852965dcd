package io.github.dl4jdropout;

import io.github.dl4jdropout.dropout.InvertedDropout;
import io.github.dl4jdropout.dropout.RecurrentWeightDropout;
import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.SpatialFormat;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.facts.NetworkFacts;
import io.github.dl4jdropout.internal.facts.Problem;
import io.github.dl4jdropout.layers.MaskAwareDropoutLayer;
import java.util.List;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The entry point: dropout variants for DL4J layer configuration, all taking a <em>drop</em> rate.
 *
 * <p>DL4J's own {@code new Dropout(0.1)} means "retain 10%"; Keras' {@code Dropout(0.1)} and PyTorch's
 * {@code nn.Dropout(0.1)} mean "drop 10%". Every method here takes the probability of dropping, in {@code [0, 1)}
 * (0 passes activations through unchanged), and rejects anything else with an {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * new DenseLayer.Builder().nIn(784).nOut(1024).dropOut(Dropouts.standard(0.2)).build();   // on the layer's input
 * new LSTM.Builder().nIn(28).nOut(128)
 *         .dropOut(Dropouts.timeShared(0.25))            // same input mask at every time step
 *         .weightNoise(Dropouts.recurrentWeights(0.25))  // same recurrent mask at every time step
 *         .build();
 * new ConvolutionLayer.Builder(3, 3).nOut(32).dataFormat(CNN2DFormat.NHWC)
 *         .dropOut(Dropouts.spatial(0.1, CNN2DFormat.NHWC)).build();   // whole feature maps
 * }</pre>
 *
 * <p>Like every DL4J {@code IDropout}, the dropout acts on the <em>input</em> of the layer it is configured on,
 * during training only. One instance may be given to any number of layers, or set on the global
 * {@code NeuralNetConfiguration.Builder}: each layer gets independent masks and correct gradients.
 *
 * @since 0.1.0
 */
public final class Dropouts {

    private Dropouts() {
    }

    /**
     * Standard inverted dropout (Srivastava et al. 2014): each activation is dropped with probability
     * {@code dropRate}, kept ones are scaled by {@code 1 / (1 - dropRate)}.
     *
     * @param dropRate probability of dropping each activation, in {@code [0, 1)}
     * @return a new {@link InvertedDropout}
     * @throws IllegalArgumentException if {@code dropRate} is NaN, infinite, negative or {@code >= 1}
     */
    public static IDropout standard(double dropRate) {
        return new InvertedDropout(dropRate);
    }

    /**
     * Standard inverted dropout whose drop rate follows a DL4J schedule (by iteration or epoch). Each value the
     * schedule yields must be in {@code [0, 1)}; a value outside fails the training step with the iteration and
     * epoch in the message.
     *
     * @param dropRateSchedule the drop rate over training, for example
     *                         {@code new StepSchedule(ScheduleType.EPOCH, 0.5, 0.5, 10)}
     * @return a new {@link InvertedDropout}
     * @throws IllegalArgumentException if {@code dropRateSchedule} is null
     */
    public static IDropout standard(ISchedule dropRateSchedule) {
        return new InvertedDropout(dropRateSchedule);
    }

    /**
     * Time-shared (variational) dropout for sequences in DL4J's default layout, NCW
     * ({@code [minibatch, features, time]}): one mask per sequence, the same at every time step
     * (Gal and Ghahramani 2016).
     *
     * @param dropRate probability of dropping each (example, feature), in {@code [0, 1)}
     * @return a new {@link TimeSharedDropout}
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)}
     */
    public static IDropout timeShared(double dropRate) {
        return new TimeSharedDropout(dropRate, RNNFormat.NCW);
    }

    /**
     * Time-shared (variational) dropout for sequences in the given layout; it must be the layout of the layer it
     * is attached to.
     *
     * @param dropRate   probability of dropping each (example, feature), in {@code [0, 1)}
     * @param dataFormat {@link RNNFormat#NCW} or {@link RNNFormat#NWC}
     * @return a new {@link TimeSharedDropout}
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)} or {@code dataFormat} is null
     */
    public static IDropout timeShared(double dropRate, RNNFormat dataFormat) {
        return new TimeSharedDropout(dropRate, dataFormat);
    }

    /**
     * Time-shared dropout with a scheduled drop rate.
     *
     * @param dropRateSchedule the drop rate over training; each value must be in {@code [0, 1)}
     * @param dataFormat       {@link RNNFormat#NCW} or {@link RNNFormat#NWC}
     * @return a new {@link TimeSharedDropout}
     * @throws IllegalArgumentException if an argument is null
     */
    public static IDropout timeShared(ISchedule dropRateSchedule, RNNFormat dataFormat) {
        return new TimeSharedDropout(dropRateSchedule, dataFormat);
    }

    /**
     * Spatial dropout (Tompson et al. 2015) with channels at dimension 1: NCW, NCHW or NCDHW activations (rank 3,
     * 4 or 5), DL4J's default layouts.
     *
     * @param dropRate probability of dropping each (example, channel), in {@code [0, 1)}
     * @return a new {@link SpatialChannelDropout}
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)}
     */
    public static IDropout spatial(double dropRate) {
        return new SpatialChannelDropout(dropRate, SpatialFormat.CHANNELS_FIRST);
    }

    /**
     * Spatial dropout for 2-D convolutional activations in the given layout.
     *
     * @param dropRate   probability of dropping each (example, channel), in {@code [0, 1)}
     * @param dataFormat {@link CNN2DFormat#NCHW} or {@link CNN2DFormat#NHWC}
     * @return a new {@link SpatialChannelDropout} that accepts rank-4 activations only
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)} or {@code dataFormat} is null
     */
    public static IDropout spatial(double dropRate, CNN2DFormat dataFormat) {
        Checks.notNull("dataFormat", dataFormat, "a CNN2DFormat (NCHW or NHWC)");
        return new SpatialChannelDropout(dropRate, SpatialFormat.of(dataFormat));
    }

    /**
     * Spatial dropout for 1-D convolutional activations or sequences in the given layout.
     *
     * @param dropRate   probability of dropping each (example, channel), in {@code [0, 1)}
     * @param dataFormat {@link RNNFormat#NCW} or {@link RNNFormat#NWC}
     * @return a new {@link SpatialChannelDropout} that accepts rank-3 activations only
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)} or {@code dataFormat} is null
     */
    public static IDropout spatial(double dropRate, RNNFormat dataFormat) {
        Checks.notNull("dataFormat", dataFormat, "an RNNFormat (NCW or NWC)");
        return new SpatialChannelDropout(dropRate, SpatialFormat.of(dataFormat));
    }

    /**
     * Spatial dropout for 3-D convolutional activations in the given layout.
     *
     * @param dropRate   probability of dropping each (example, channel), in {@code [0, 1)}
     * @param dataFormat {@link Convolution3D.DataFormat#NCDHW} or {@link Convolution3D.DataFormat#NDHWC}
     * @return a new {@link SpatialChannelDropout} that accepts rank-5 activations only
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)} or {@code dataFormat} is null
     */
    public static IDropout spatial(double dropRate, Convolution3D.DataFormat dataFormat) {
        Checks.notNull("dataFormat", dataFormat, "a Convolution3D.DataFormat (NCDHW or NDHWC)");
        return new SpatialChannelDropout(dropRate, SpatialFormat.of(dataFormat));
    }

    /**
     * Spatial dropout with a scheduled drop rate.
     *
     * @param dropRateSchedule the drop rate over training; each value must be in {@code [0, 1)}
     * @param dataFormat       where the channels are
     * @return a new {@link SpatialChannelDropout}
     * @throws IllegalArgumentException if an argument is null
     */
    public static IDropout spatial(ISchedule dropRateSchedule, SpatialFormat dataFormat) {
        return new SpatialChannelDropout(dropRateSchedule, dataFormat);
    }

    /**
     * Dropout on the recurrent connections of an {@code LSTM}, {@code GravesLSTM} or {@code SimpleRnn} layer (set
     * it with {@code .weightNoise(...)}): hidden units are dropped from the recurrence with one mask for all time
     * steps; input weights and biases are untouched; inference uses the full weights.
     *
     * @param dropRate probability of dropping each hidden unit from the recurrence, in {@code [0, 1)}
     * @return a new {@link RecurrentWeightDropout}
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)}
     */
    public static IWeightNoise recurrentWeights(double dropRate) {
        return new RecurrentWeightDropout(dropRate);
    }

    /**
     * Dropout on the recurrent connections with a scheduled drop rate.
     *
     * @param dropRateSchedule the drop rate over training; each value must be in {@code [0, 1)}
     * @return a new {@link RecurrentWeightDropout}
     * @throws IllegalArgumentException if {@code dropRateSchedule} is null or a fixed rate is outside {@code [0, 1)}
     * @since 0.2.0
     */
    public static IWeightNoise recurrentWeights(ISchedule dropRateSchedule) {
        return new RecurrentWeightDropout(dropRateSchedule);
    }

    /**
     * A dropout layer carrying the given dropout: DL4J's {@code DropoutLayer}, made to work with padded sequences
     * (features masks) and to know its input layout. Use it wherever you would use
     * {@code new DropoutLayer.Builder().dropOut(...).build()}, for example between an LSTM and an
     * {@code RnnOutputLayer}, or before a {@code Convolution1DLayer}/{@code Convolution3D}, whose own dropout DL4J
     * never backpropagates.
     *
     * @param dropout the dropout to apply to the layer's input in training, for example {@code timeShared(0.25)}
     * @return a new {@link MaskAwareDropoutLayer}
     * @throws IllegalArgumentException if {@code dropout} is null
     * @since 0.2.0
     */
    public static MaskAwareDropoutLayer layer(IDropout dropout) {
        return new MaskAwareDropoutLayer(dropout);
    }

    /**
     * Checks every dropout in a configuration against the layer it is on, before training, and throws on what DL4J
     * would train wrongly or fail on:
     * <ul>
     *   <li>a variant of this library whose data format does not match the activations it receives (on a layer,
     *       or on a {@code DropoutLayer}, whose input layout comes from the input type or its neighbours), for
     *       example {@code timeShared} or {@code spatial} on a {@code DenseLayer}, or an NCHW {@code spatial} on
     *       an NHWC convolution;</li>
     *   <li>any stochastic dropout on a layer whose DL4J 1.0.0-M2.1 backward pass ignores the mask
     *       ({@code Convolution1DLayer}, {@code Convolution3D}, {@code Deconvolution2D/3D},
     *       {@code SpaceToDepthLayer}, {@code RepeatVector}): use {@link #layer(IDropout)} before it;</li>
     *   <li>dropout on the input of DL4J's NWC {@code LSTM}, whose gradients ignore the mask;</li>
     *   <li>time-shared dropout on an {@code RnnOutputLayer}, which flattens the sequence first;</li>
     *   <li>recurrent-weight dropout on a layer without recurrent weights.</li>
     * </ul>
     * {@code IDropout} is never told which layer calls it, so most of these can only be found in the configuration.
     * The Monte Carlo evaluator and {@code DropoutAudit} run the same checks.
     *
     * @param conf a network configuration
     * @throws IllegalArgumentException if {@code conf} is null
     * @throws IllegalStateException    listing every problem found, each with its fix
     */
    public static void checkFormats(MultiLayerConfiguration conf) {
        throwIfAny(NetworkFacts.of(Checks.notNull("conf", conf, "a MultiLayerConfiguration")).problems());
    }

    /**
     * Checks a graph configuration like {@link #checkFormats(MultiLayerConfiguration)}.
     *
     * @param conf a graph configuration
     * @throws IllegalArgumentException if {@code conf} is null
     * @throws IllegalStateException    listing every problem found, each with its fix
     */
    public static void checkFormats(ComputationGraphConfiguration conf) {
        throwIfAny(NetworkFacts.of(Checks.notNull("conf", conf, "a ComputationGraphConfiguration")).problems());
    }

    private static void throwIfAny(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Dropout configuration does not match the layers:\n  - "
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  - ")));
        }
    }
}
