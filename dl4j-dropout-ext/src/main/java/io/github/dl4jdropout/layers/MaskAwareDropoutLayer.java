package io.github.dl4jdropout.layers;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.DataLayout;
import io.github.dl4jdropout.internal.LayoutAwareLayer;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A dropout layer that works with padded sequences and knows the layout of its input: a drop-in replacement for
 * DL4J's {@link DropoutLayer} (it is one, so every DL4J feature that accepts a {@code DropoutLayer} accepts it).
 * Create it with {@link io.github.dl4jdropout.Dropouts#layer(IDropout)} or its {@link Builder}.
 *
 * <p><b>Why.</b> DL4J 1.0.0-M2.1's {@code DropoutLayer} multiplies its output by the features mask as a column
 * vector: with a sequence mask {@code [minibatch, time]} and sequence activations it fails with "Mismatched shapes"
 * in {@code fit}, {@code output} and Monte Carlo evaluation alike, whichever dropout it carries, and in inference it
 * multiplies the caller's input array in place. This layer broadcasts a {@code [minibatch, time]} mask along the
 * features (NCW or NWC), a {@code [minibatch, 1]} mask along the rows of 2-D activations, and a mask of the
 * activations' own shape element-wise; padded steps are zero in its output and get no gradient, as DL4J intends.
 * The input array is never modified.
 *
 * <p><b>Layout.</b> When the network is configured with {@code setInputType}/{@code setInputTypes}, DL4J tells the
 * layer its input type, which it records (and saves in the configuration's JSON). A dropout of this library whose
 * data format does not match it ({@code Dropouts.timeShared(0.3, RNNFormat.NWC)} on NCW sequences, say) is then
 * reported by {@code Dropouts.checkFormats}, the audit and the Monte Carlo evaluator, and refused at the first
 * training step. Without an input type the layout of a sequence mask is taken from the dropout's declared format or,
 * failing that, from the shapes; a shape that fits both layouts ({@code features == time}) is refused with a
 * message asking for the input type.
 *
 * <p>The dropout acts on the layer's input in training only, like every DL4J dropout; without a dropout the layer
 * passes its input through (masked).
 *
 * @since 0.2.0
 */
public final class MaskAwareDropoutLayer extends DropoutLayer implements LayoutAwareLayer {

    private static final long serialVersionUID = 1L;

    @JsonProperty("recordedInputType")
    private InputType recordedInputType;

    /** For JSON deserialization only. */
    private MaskAwareDropoutLayer() {
        super();
    }

    /**
     * @param dropout the dropout to apply to the input in training, for example
     *                {@code Dropouts.timeShared(0.25)}
     * @throws IllegalArgumentException if {@code dropout} is null
     */
    public MaskAwareDropoutLayer(IDropout dropout) {
        super(Checks.notNull("dropout", dropout, "an IDropout, for example Dropouts.standard(0.5)"));
    }

    private MaskAwareDropoutLayer(Builder builder) {
        this(builder.dropout);
        setLayerName(builder.name);
    }

    /**
     * Records the input type DL4J computed for this layer; called by DL4J when the network has an input type.
     *
     * @param inputType the type of this layer's input
     * @param override  ignored: the layer has no size to set
     */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        this.recordedInputType = inputType;
    }

    /** @return the input type DL4J gave this layer, or null if the network was built without one */
    public InputType recordedInputType() {
        return recordedInputType;
    }

    @Override
    public DataLayout recordedInputLayout() {
        return recordedInputType == null ? null : DataLayout.of(recordedInputType);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        MaskAwareDropoutRuntime layer = new MaskAwareDropoutRuntime(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public MaskAwareDropoutLayer clone() {
        MaskAwareDropoutLayer copy = (MaskAwareDropoutLayer) super.clone();
        copy.recordedInputType = recordedInputType == null ? null : copyOf(recordedInputType);
        return copy;
    }

    /** Some input types have setters: a clone gets its own copy, made through DL4J's JSON mapper. */
    private static InputType copyOf(InputType type) {
        try {
            ObjectMapper mapper = JsonMappers.getMapper();
            return mapper.readValue(mapper.writeValueAsString(type), InputType.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy input type " + type, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof MaskAwareDropoutLayer
                && Objects.equals(recordedInputType, ((MaskAwareDropoutLayer) o).recordedInputType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), recordedInputType);
    }

    /**
     * Keeps {@code equals} symmetric with DL4J's Lombok-generated {@code DropoutLayer.equals}, which asks the other
     * object whether it can equal a {@code DropoutLayer}: a plain DL4J {@code DropoutLayer} never equals this one.
     *
     * @param other the object being compared
     * @return whether {@code other} is a {@code MaskAwareDropoutLayer}
     */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof MaskAwareDropoutLayer;
    }

    @Override
    public String toString() {
        return "MaskAwareDropoutLayer(name=" + getLayerName() + ", dropout=" + getIDropout() + ", inputType="
                + recordedInputType + ")";
    }

    /**
     * Builds a {@link MaskAwareDropoutLayer}.
     *
     * @since 0.2.0
     */
    public static final class Builder {

        private final IDropout dropout;
        private String name;

        /**
         * @param dropout the dropout to apply, for example {@code Dropouts.timeShared(0.25)}
         * @throws IllegalArgumentException if {@code dropout} is null
         */
        public Builder(IDropout dropout) {
            this.dropout = Checks.notNull("dropout", dropout, "an IDropout, for example Dropouts.standard(0.5)");
        }

        /**
         * The layer's name. Defaults to none (DL4J names it by its index or vertex).
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @return a new layer */
        public MaskAwareDropoutLayer build() {
            return new MaskAwareDropoutLayer(this);
        }
    }
}
