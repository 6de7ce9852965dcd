package io.github.dl4jdropout.layers;

import io.github.dl4jdropout.dropout.RecurrentWeightDropout;
import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.SelfSamplingLayer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A simple (Elman) recurrent layer, {@code h(t) = activation(x(t) W + (h(t-1) * m) RW + b)}, with variational
 * recurrent dropout: during training the previous output {@code h(t-1)} is multiplied by a mask {@code m} drawn once
 * per example and sequence, the same at every time step; kept units are scaled by {@code 1 / (1 - recurrentDropRate)},
 * so inference uses no mask and needs no rescaling.
 *
 * <p>The recurrent dropout of Gal and Ghahramani, "A Theoretically Grounded Application of Dropout in Recurrent
 * Neural Networks", NeurIPS 2016, and of Keras: {@code SimpleRNN(units, dropout=a, recurrent_dropout=b)} corresponds to
 * <pre>{@code
 * new VariationalSimpleRnn.Builder().nIn(28).nOut(units).activation(Activation.TANH)
 *         .dropOut(Dropouts.timeShared(a))   // input mask per example and sequence
 *         .recurrentDropout(b)               // recurrent mask per example and sequence
 *         .build();
 * }</pre>
 * DL4J's {@code SimpleRnn} has no recurrent dropout, and its Keras import throws on {@code recurrent_dropout}.
 *
 * <p>Everything else is DL4J's {@link SimpleRnn}: this class extends it, so input-type inference, preprocessors,
 * {@code Bidirectional} and {@code LastTimeStep} treat it as a SimpleRnn; its parameters ({@code W}, {@code RW},
 * {@code b}, and the layer-norm gains {@code g} with {@code hasLayerNorm(true)}) have exactly DL4J's layout and
 * initialization, so parameters copy in and out; with a recurrent drop rate of 0 its output and gradients equal
 * DL4J's SimpleRnn on the same parameters. Defaults are DL4J's (the network's activation, no layer norm, NCW) plus a
 * recurrent drop rate of 0. Two differences: constraints ({@code constrainRecurrent}, {@code constrainWeights}, ...)
 * are applied (DL4J's SimpleRnn ignores them), and the input dropout ({@code dropOut(...)}) is also correct in NWC format
 * (DL4J 1.0.0-M2.1's SimpleRnn backpropagates its input dropout with the gradient still in NCW layout).
 *
 * <p>Masks and streams as {@link VariationalLSTM}: a training-mode forward pass draws a new mask for its minibatch;
 * truncated BPTT and {@code rnnActivateUsingStoredState(x, true, true)} keep the mask of a stream until
 * {@code rnnClearPreviousState()}; {@code rnnTimeStep} runs in inference mode and uses no mask. DL4J's
 * {@code RecurrentWeightDropout} is rejected on this layer ({@link Builder#recurrentDropout(double)} is the per-example
 * version of the same idea).
 *
 * @since 0.2.0
 */
public final class VariationalSimpleRnn extends SimpleRnn implements SelfSamplingLayer {

    private static final long serialVersionUID = 1L;

    /** The drop rate of the recurrent mask; a {@link FixedSchedule} of 0 disables it. Never null. */
    @JsonProperty("recurrentDropoutSchedule")
    private ISchedule recurrentDropoutSchedule = new FixedSchedule(0.0);

    /** For JSON deserialization only: the properties are then set one by one, through the same checks. */
    private VariationalSimpleRnn() {
        super(new SimpleRnn.Builder());
    }

    private VariationalSimpleRnn(Builder builder) {
        // DL4J's SimpleRnn(Builder) takes its own builder type, whose setters return SimpleRnn.Builder (so that
        // .nIn(3).recurrentDropout(0.2) would not compile); the fields its constructor chain sets are set here.
        super(new SimpleRnn.Builder());
        setLayerName(builder.getLayerName());
        setIDropout(builder.getIDropout());
        setActivationFn(builder.getActivationFn());
        setWeightInitFn(builder.getWeightInitFn());
        setBiasInit(builder.getBiasInit());
        setGainInit(builder.getGainInit());
        setRegularization(builder.getRegularization());
        setRegularizationBias(builder.getRegularizationBias());
        setIUpdater(builder.getIupdater());
        setBiasUpdater(builder.getBiasUpdater());
        setGradientNormalization(builder.getGradientNormalization());
        setGradientNormalizationThreshold(builder.getGradientNormalizationThreshold());
        setWeightNoise(builder.getWeightNoise());
        setNIn(builder.getNIn());
        setNOut(builder.getNOut());
        setWeightInitFnRecurrent(builder.getWeightInitFnRecurrent());
        setRnnDataFormat(builder.getRnnDataFormat());
        setHasLayerNorm(builder.hasLayerNorm);
        this.recurrentDropoutSchedule = builder.recurrentDropoutSchedule;
        initializeConstraints(builder);
    }

    /**
     * Sets the constraints from the builder: all, weight and bias constraints as DL4J's layers, plus the recurrent
     * ({@code RW}) and input-weight ({@code W}) constraints. DL4J 1.0.0-M2.1's own SimpleRnn never calls this, so
     * there every constraint is silently ignored.
     */
    @Override
    protected void initializeConstraints(org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder) {
        super.initializeConstraints(builder);
        List<LayerConstraint> all = constraints == null ? new ArrayList<>() : new ArrayList<>(constraints);
        if (builder instanceof Builder) {
            Builder b = (Builder) builder;
            addConstraints(all, b.recurrentConstraints(), SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
            addConstraints(all, b.inputWeightConstraints(), SimpleRnnParamInitializer.WEIGHT_KEY);
        }
        this.constraints = all.isEmpty() ? null : all;
    }

    private static void addConstraints(List<LayerConstraint> out, List<LayerConstraint> constraints, String key) {
        if (constraints == null) {
            return;
        }
        for (LayerConstraint c : constraints) {
            LayerConstraint copy = c.clone();
            copy.setParams(Collections.singleton(key));
            out.add(copy);
        }
    }

    /** Read by Jackson: checks a recurrent drop rate read from JSON exactly as the builder checks one. */
    @JsonProperty("recurrentDropoutSchedule")
    private void readRecurrentDropoutSchedule(ISchedule schedule) {
        this.recurrentDropoutSchedule = checkedSchedule(schedule);
    }

    private static ISchedule checkedSchedule(ISchedule schedule) {
        return RecurrentDropoutRates.checked(schedule);
    }

    /**
     * Returns the drop rate of the recurrent mask as a schedule; a constant rate (including the default, 0) is a
     * {@link FixedSchedule}.
     *
     * @return the recurrent drop rate schedule, never null
     */
    public ISchedule recurrentDropoutSchedule() {
        return recurrentDropoutSchedule;
    }

    /**
     * Returns the recurrent drop rate in force at an iteration and epoch.
     *
     * @param iteration iteration count
     * @param epoch     epoch count
     * @return the probability of dropping a unit of {@code h(t-1)}, in {@code [0, 1)}
     * @throws IllegalStateException if the schedule yields a value outside {@code [0, 1)}
     */
    public double recurrentDropoutRateAt(int iteration, int epoch) {
        return Checks.scheduledDropRate(describeLayer(), recurrentDropoutSchedule, iteration, epoch);
    }

    /**
     * Whether training-mode forward passes draw recurrent masks: false only for a constant recurrent drop rate of 0.
     *
     * @return true if the recurrent dropout is active in training mode
     */
    public boolean hasRecurrentDropout() {
        return RecurrentDropoutRates.active(recurrentDropoutSchedule);
    }

    /**
     * Whether training-mode passes draw recurrent masks at an iteration and epoch (the recurrent drop rate is then
     * not 0). Read by the Monte Carlo evaluator and the audit.
     *
     * @throws IllegalStateException if the schedule yields a value outside {@code [0, 1)}
     */
    @Override
    public boolean samplesInTraining(int iteration, int epoch) {
        return recurrentDropoutRateAt(iteration, epoch) > 0.0;
    }

    /**
     * Creates the layer that runs this configuration in a network; called by DL4J's {@code init()}.
     *
     * @throws org.deeplearning4j.exception.DL4JInvalidConfigException if nIn or nOut is not set (as DL4J's SimpleRnn)
     * @throws IllegalStateException if the weight noise is a {@link RecurrentWeightDropout}, for example inherited
     *                               from the global {@code NeuralNetConfiguration.Builder}
     */
    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("VariationalSimpleRnn", getLayerName(), layerIndex, getNIn(), getNOut());
        String refusal = RecurrentDropoutRates.recurrentWeightsRefusal("VariationalSimpleRnn", getWeightNoise(),
                "layer " + layerIndex + (getLayerName() == null ? "" : " ('" + getLayerName() + "')"));
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        VariationalSimpleRnnLayer layer = new VariationalSimpleRnnLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    private String describeLayer() {
        return "VariationalSimpleRnn" + (getLayerName() == null ? "" : " '" + getLayerName() + "'");
    }

    /**
     * Returns a deep copy: the input dropout (as in DL4J) and the recurrent drop rate schedule are cloned.
     *
     * @return an equal, independent copy
     */
    @Override
    public VariationalSimpleRnn clone() {
        VariationalSimpleRnn copy = (VariationalSimpleRnn) super.clone();
        copy.recurrentDropoutSchedule = recurrentDropoutSchedule.clone();
        return copy;
    }

    /**
     * Equal to another {@code VariationalSimpleRnn} with equal SimpleRnn settings and recurrent drop rate; never equal
     * to a DL4J {@link SimpleRnn}.
     *
     * @param o the object to compare with
     * @return whether {@code o} is an equal configuration
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof VariationalSimpleRnn) || !super.equals(o)) {
            return false;
        }
        return recurrentDropoutSchedule.equals(((VariationalSimpleRnn) o).recurrentDropoutSchedule);
    }

    /**
     * Keeps {@code equals} symmetric with DL4J's Lombok-generated {@code SimpleRnn.equals}.
     *
     * @param other the object being compared
     * @return whether {@code other} is a {@code VariationalSimpleRnn}
     */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof VariationalSimpleRnn;
    }

    /** @return a hash of the SimpleRnn settings and the recurrent drop rate schedule, consistent with equals */
    @Override
    public int hashCode() {
        return 31 * super.hashCode() + recurrentDropoutSchedule.hashCode();
    }

    /** @return for example {@code VariationalSimpleRnn(recurrentDropRate=0.25, SimpleRnn(...))} */
    @Override
    public String toString() {
        return "VariationalSimpleRnn(" + RecurrentDropoutRates.describe(recurrentDropoutSchedule) + ", " + super.toString() + ")";
    }

    /**
     * Builds a {@link VariationalSimpleRnn}. Every setting of DL4J's {@code SimpleRnn.Builder} is available
     * ({@code nIn}, {@code nOut}, {@code activation}, {@code dataFormat}, {@code hasLayerNorm}, {@code dropOut}, ...),
     * with the same defaults, plus {@link #recurrentDropout(double)}.
     *
     * @since 0.2.0
     */
    public static final class Builder
            extends org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer.Builder<Builder> {

        private ISchedule recurrentDropoutSchedule = new FixedSchedule(0.0);
        private boolean hasLayerNorm;

        /** Creates a builder with DL4J's SimpleRnn defaults and no recurrent dropout. */
        public Builder() {
        }

        /**
         * Enables layer normalization, as DL4J's {@code SimpleRnn.Builder.hasLayerNorm}. Defaults to false.
         *
         * @param hasLayerNorm whether to normalize the input and recurrent pre-activations separately
         * @return this builder
         */
        public Builder hasLayerNorm(boolean hasLayerNorm) {
            this.hasLayerNorm = hasLayerNorm;
            return this;
        }

        List<LayerConstraint> recurrentConstraints() {
            return recurrentConstraints;
        }

        List<LayerConstraint> inputWeightConstraints() {
            return inputWeightConstraints;
        }

        /**
         * Sets the probability of dropping each unit of the previous output {@code h(t-1)}, with one mask per example
         * and sequence, the same at every time step; kept units are scaled by {@code 1 / (1 - dropRate)}. Keras'
         * {@code recurrent_dropout}. Defaults to 0 (no recurrent dropout).
         *
         * @param dropRate probability of dropping a unit, in {@code [0, 1)}; 0 disables the recurrent dropout
         * @return this builder
         * @throws IllegalArgumentException if {@code dropRate} is NaN, infinite, negative or {@code >= 1}
         */
        public Builder recurrentDropout(double dropRate) {
            this.recurrentDropoutSchedule = new FixedSchedule(Checks.dropRate("recurrentDropout", dropRate));
            return this;
        }

        /**
         * Sets the recurrent drop rate as a DL4J schedule (by iteration or epoch). Each value must be in
         * {@code [0, 1)}; a value outside fails the training step with the iteration and epoch in the message.
         *
         * @param dropRateSchedule the recurrent drop rate over training
         * @return this builder
         * @throws IllegalArgumentException if {@code dropRateSchedule} is null, or is a {@link FixedSchedule} with a
         *                                  value outside {@code [0, 1)}
         */
        public Builder recurrentDropout(ISchedule dropRateSchedule) {
            this.recurrentDropoutSchedule = checkedSchedule(dropRateSchedule);
            return this;
        }

        /**
         * Builds the layer configuration.
         *
         * @return a new {@link VariationalSimpleRnn}
         * @throws IllegalArgumentException if the weight noise is a {@link RecurrentWeightDropout}
         */
        @Override
        @SuppressWarnings("unchecked")
        public VariationalSimpleRnn build() {
            String refusal = RecurrentDropoutRates.recurrentWeightsRefusal("VariationalSimpleRnn", getWeightNoise(),
                    "(builder)");
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
            return new VariationalSimpleRnn(this);
        }
    }
}
