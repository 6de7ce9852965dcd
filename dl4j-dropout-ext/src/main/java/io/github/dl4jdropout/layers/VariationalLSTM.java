package io.github.dl4jdropout.layers;

import io.github.dl4jdropout.dropout.RecurrentWeightDropout;
import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.SelfSamplingLayer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * An LSTM layer with variational recurrent dropout: during training, the previous hidden state {@code h(t-1)} that
 * enters the gates is multiplied by a dropout mask drawn once per example and sequence, the same at every time step;
 * kept units are scaled by {@code 1 / (1 - recurrentDropRate)}, so inference uses no mask and needs no rescaling.
 *
 * <p>This is the recurrent dropout of Gal and Ghahramani, "A Theoretically Grounded Application of Dropout in
 * Recurrent Neural Networks", NeurIPS 2016, and of Keras: {@code LSTM(units, dropout=a, recurrent_dropout=b)}
 * corresponds to
 * <pre>{@code
 * new VariationalLSTM.Builder().nIn(28).nOut(units)
 *         .dropOut(Dropouts.timeShared(a))   // input mask per example and sequence
 *         .recurrentDropout(b)               // recurrent mask per example and sequence
 *         .build();
 * }</pre>
 * Both masks are shared by the four gates (Keras 3 and Keras 2's {@code implementation=2}; tf.keras 2 switches to
 * {@code implementation=1} when {@code recurrent_dropout} is set, which draws one mask per gate). DL4J has no
 * recurrent dropout (its issue 4614; its Keras import ignores {@code recurrent_dropout}).
 *
 * <p>Everything else is DL4J's {@link LSTM}: this class extends it, so DL4J's input-type inference, preprocessors,
 * {@code Bidirectional} and {@code LastTimeStep} wrappers treat it as an LSTM; its parameters have exactly DL4J's
 * LSTM layout and initialization ({@link LSTMParamInitializer}), so a trained LSTM's parameters can be copied in and
 * out; with a recurrent drop rate of 0 its output and gradients equal DL4J's LSTM on the same parameters. The
 * differences: the input dropout ({@code dropOut(...)}) is also correct in NWC format (DL4J 1.0.0-M2.1's LSTM computes
 * NWC gradients from the undropped input), and there is no cuDNN helper (on CPU DL4J's LSTM has none either).
 *
 * <p>Masks and streams: a forward pass in training mode draws a new mask for its minibatch (for
 * {@code output(x, true)} every call, which is what Monte Carlo dropout needs). Truncated BPTT and
 * {@code rnnActivateUsingStoredState(x, true, true)} draw the mask at the first segment of a sequence and keep it,
 * with the hidden state, until {@code rnnClearPreviousState()}. {@code rnnTimeStep} runs in inference mode, as in
 * DL4J, and uses no mask.
 *
 * <p>DL4J's {@code RecurrentWeightDropout} ({@code weightNoise(Dropouts.recurrentWeights(...))}) is rejected on this
 * layer: it does not apply to it, and {@link Builder#recurrentDropout(double)} is the per-example version of the same
 * idea. Other weight noise ({@code DropConnect}, {@code WeightNoise}) works as on DL4J's LSTM.
 *
 * @since 0.2.0
 */
public final class VariationalLSTM extends LSTM implements SelfSamplingLayer {

    private static final long serialVersionUID = 1L;

    /** The drop rate of the recurrent mask; a {@link FixedSchedule} of 0 disables it. Never null. */
    @JsonProperty("recurrentDropoutSchedule")
    private ISchedule recurrentDropoutSchedule = new FixedSchedule(0.0);

    /** For JSON deserialization only: the properties are then set one by one, through the same checks. */
    private VariationalLSTM() {
    }

    private VariationalLSTM(Builder builder) {
        // DL4J's LSTM(Builder) constructor is private, so the fields its constructor chain would set from the builder
        // are set here, in the same order; MirrorsLstmConfigurationTest compares the result with DL4J's LSTM.
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
        // LSTM shadows AbstractLSTM's forgetGateBiasInit and gateActivationFn with its own fields and getters; only
        // LSTM's are ever read (DL4J's own JSON round trip leaves AbstractLSTM's unset too).
        setHelperAllowFallback(builder.isHelperAllowFallback());
        setForgetGateBiasInit(builder.getForgetGateBiasInit());
        setGateActivationFn(builder.getGateActivationFn());
        this.recurrentDropoutSchedule = builder.recurrentDropoutSchedule;
        initializeConstraints(builder);
    }

    /**
     * Sets the constraints as DL4J's {@code LSTM} does ({@code Layer.initializeConstraints} plus the recurrent-weight
     * constraints); DL4J's version casts the builder to {@code LSTM.Builder}, which this layer's builder is not.
     */
    @Override
    protected void initializeConstraints(org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder) {
        LSTMParamInitializer init = LSTMParamInitializer.getInstance();
        List<LayerConstraint> all = new ArrayList<>();
        addConstraints(all, builder.getAllParamConstraints(), init.paramKeys(this));
        addConstraints(all, builder.getWeightConstraints(), init.weightKeys(this));
        addConstraints(all, builder.getBiasConstraints(), init.biasKeys(this));
        if (builder instanceof AbstractLSTM.Builder) {
            addConstraints(all, ((AbstractLSTM.Builder<?>) builder).getRecurrentConstraints(),
                    Collections.singletonList(LSTMParamInitializer.RECURRENT_WEIGHT_KEY));
        }
        this.constraints = all.isEmpty() ? null : all;
        setIDropout(builder.getIDropout());
    }

    private static void addConstraints(List<LayerConstraint> out, List<LayerConstraint> constraints,
                                       List<String> keys) {
        if (constraints == null || keys.isEmpty()) {
            return;
        }
        for (LayerConstraint c : constraints) {
            LayerConstraint copy = c.clone();
            copy.setParams(new HashSet<>(keys));
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
     * @since 0.2.0
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
     * @since 0.2.0
     */
    public double recurrentDropoutRateAt(int iteration, int epoch) {
        return Checks.scheduledDropRate(describeLayer(), recurrentDropoutSchedule, iteration, epoch);
    }

    /**
     * Whether training-mode forward passes of this layer draw recurrent masks: false only for a constant recurrent
     * drop rate of 0. A schedule counts as stochastic even if it yields 0 at some iterations. The layer's input
     * dropout ({@code getIDropout()}) and weight noise are separate and not considered here.
     *
     * @return true if the recurrent dropout is active in training mode
     * @since 0.2.0
     */
    public boolean hasRecurrentDropout() {
        return RecurrentDropoutRates.active(recurrentDropoutSchedule);
    }

    /**
     * Whether training-mode passes draw recurrent masks at an iteration and epoch: the recurrent drop rate then is
     * not 0. Read by the Monte Carlo evaluator and the audit (a layer whose only noise is this mask is stochastic).
     *
     * @param iteration iteration at which the schedule is read
     * @param epoch     epoch at which the schedule is read
     * @return whether the recurrent drop rate is positive then
     * @throws IllegalStateException if the schedule yields a value outside {@code [0, 1)}
     */
    @Override
    public boolean samplesInTraining(int iteration, int epoch) {
        return recurrentDropoutRateAt(iteration, epoch) > 0.0;
    }

    /**
     * Creates the layer that runs this configuration in a network; called by DL4J's {@code init()}.
     *
     * @throws org.deeplearning4j.exception.DL4JInvalidConfigException if nIn or nOut is not set (as DL4J's LSTM)
     * @throws IllegalStateException if the weight noise is a {@link RecurrentWeightDropout}, for example inherited
     *                               from the global {@code NeuralNetConfiguration.Builder}
     */
    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners,
                                                       int layerIndex, INDArray layerParamsView,
                                                       boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("VariationalLSTM", getLayerName(), layerIndex, getNIn(), getNOut());
        rejectRecurrentWeightDropout(getWeightNoise(), "layer " + layerIndex
                + (getLayerName() == null ? "" : " ('" + getLayerName() + "')"), IllegalStateException::new);
        VariationalLstmLayer layer = new VariationalLstmLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    private static <E extends RuntimeException> void rejectRecurrentWeightDropout(
            IWeightNoise noise, String where, java.util.function.Function<String, E> exception) {
        String refusal = RecurrentDropoutRates.recurrentWeightsRefusal("VariationalLSTM", noise, where);
        if (refusal != null) {
            throw exception.apply(refusal);
        }
    }

    private String describeLayer() {
        return "VariationalLSTM" + (getLayerName() == null ? "" : " '" + getLayerName() + "'");
    }

    /**
     * Returns a deep copy: the input dropout (as in DL4J) and the recurrent drop rate schedule are cloned, so the
     * copy shares no mutable object with this configuration.
     *
     * @return an equal, independent copy
     */
    @Override
    public VariationalLSTM clone() {
        VariationalLSTM copy = (VariationalLSTM) super.clone();
        copy.recurrentDropoutSchedule = recurrentDropoutSchedule.clone();
        return copy;
    }

    /**
     * Equal to another {@code VariationalLSTM} with equal LSTM settings and recurrent drop rate; never equal to a
     * DL4J {@link LSTM}.
     *
     * @param o the object to compare with
     * @return whether {@code o} is an equal configuration
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof VariationalLSTM) || !super.equals(o)) {
            return false;
        }
        return recurrentDropoutSchedule.equals(((VariationalLSTM) o).recurrentDropoutSchedule);
    }

    /**
     * Keeps {@code equals} symmetric with DL4J's Lombok-generated {@code LSTM.equals}: an {@code LSTM} is never equal
     * to a {@code VariationalLSTM}.
     *
     * @param other the object being compared
     * @return whether {@code other} is a {@code VariationalLSTM}
     */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof VariationalLSTM;
    }

    /** @return a hash of the LSTM settings and the recurrent drop rate schedule, consistent with equals */
    @Override
    public int hashCode() {
        return 31 * super.hashCode() + recurrentDropoutSchedule.hashCode();
    }

    /** @return for example {@code VariationalLSTM(recurrentDropRate=0.25, LSTM(...))} */
    @Override
    public String toString() {
        return "VariationalLSTM(" + RecurrentDropoutRates.describe(recurrentDropoutSchedule) + ", " + super.toString() + ")";
    }

    /**
     * Builds a {@link VariationalLSTM}. Every setting of DL4J's {@code LSTM.Builder} is available ({@code nIn},
     * {@code nOut}, {@code activation}, {@code gateActivationFunction}, {@code dataFormat}, {@code dropOut}, ...),
     * with the same defaults, plus {@link #recurrentDropout(double)}.
     *
     * @since 0.2.0
     */
    public static final class Builder extends AbstractLSTM.Builder<Builder> {

        private ISchedule recurrentDropoutSchedule = new FixedSchedule(0.0);

        /** Creates a builder with DL4J's LSTM defaults and no recurrent dropout. */
        public Builder() {
        }

        /**
         * Sets the probability of dropping each unit of the previous hidden state {@code h(t-1)}, with one mask per
         * example and sequence, the same at every time step; kept units are scaled by {@code 1 / (1 - dropRate)}.
         * Keras' {@code recurrent_dropout}. Defaults to 0 (no recurrent dropout).
         *
         * @param dropRate probability of dropping a unit, in {@code [0, 1)}; 0 disables the recurrent dropout
         * @return this builder
         * @throws IllegalArgumentException if {@code dropRate} is NaN, infinite, negative or {@code >= 1}
         * @since 0.2.0
         */
        public Builder recurrentDropout(double dropRate) {
            this.recurrentDropoutSchedule = new FixedSchedule(Checks.dropRate("recurrentDropout", dropRate));
            return this;
        }

        /**
         * Sets the recurrent drop rate as a DL4J schedule (by iteration or epoch). Each value the schedule yields
         * must be in {@code [0, 1)}; a value outside fails the training step with the iteration and epoch in the
         * message. A {@link FixedSchedule} is checked here.
         *
         * @param dropRateSchedule the recurrent drop rate over training
         * @return this builder
         * @throws IllegalArgumentException if {@code dropRateSchedule} is null, or is a {@link FixedSchedule} with a
         *                                  value outside {@code [0, 1)}
         * @since 0.2.0
         */
        public Builder recurrentDropout(ISchedule dropRateSchedule) {
            this.recurrentDropoutSchedule = checkedSchedule(dropRateSchedule);
            return this;
        }

        /**
         * Builds the layer configuration.
         *
         * @return a new {@link VariationalLSTM}
         * @throws IllegalArgumentException if the weight noise is a {@link RecurrentWeightDropout}, which does not
         *                                  apply to this layer (use {@link #recurrentDropout(double)})
         */
        @Override
        @SuppressWarnings("unchecked")
        public VariationalLSTM build() {
            rejectRecurrentWeightDropout(getWeightNoise(), "(builder)", IllegalArgumentException::new);
            return new VariationalLSTM(this);
        }
    }
}
