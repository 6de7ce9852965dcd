package io.github.dl4jdropout.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import java.util.Iterator;
import java.util.Map;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.constraint.UnitNormConstraint;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/** The configuration class: validation, defaults, accessors, equality, cloning and the mirror of DL4J's LSTM. */
class VariationalLstmConfigurationTest {

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void rejectsARecurrentDropRateOutsideZeroToOneNamingParameterValueAndRange(double rate) {
        VariationalLSTM.Builder builder = new VariationalLSTM.Builder();
        assertThatThrownBy(() -> builder.recurrentDropout(rate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recurrentDropout").hasMessageContaining("[0, 1)")
                .hasMessageContaining("got " + rate);
        assertThatThrownBy(() -> builder.recurrentDropout(new FixedSchedule(rate)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recurrentDropout")
                .hasMessageContaining("got " + rate);
    }

    @Test
    void rejectsANullSchedule() {
        assertThatThrownBy(() -> new VariationalLSTM.Builder().recurrentDropout(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recurrentDropout must be an ISchedule giving the recurrent drop rate, got null");
    }

    @Test
    void defaultsToNoRecurrentDropoutAndDl4jLstmDefaults() {
        VariationalLSTM conf = new VariationalLSTM.Builder().nIn(3).nOut(4).build();
        assertThat(conf.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.0));
        assertThat(conf.hasRecurrentDropout()).isFalse();
        assertThat(conf.recurrentDropoutRateAt(0, 0)).isZero();
        LSTM dl4j = new LSTM.Builder().nIn(3).nOut(4).build();
        assertThat(conf.getForgetGateBiasInit()).isEqualTo(dl4j.getForgetGateBiasInit()).isEqualTo(1.0);
        assertThat(conf.getGateActivationFn()).isEqualTo(dl4j.getGateActivationFn());
        assertThat(conf.getRnnDataFormat()).isEqualTo(RNNFormat.NCW);
        assertThat(conf.initializer()).isSameAs(dl4j.initializer());
    }

    @Test
    void accessorsReportTheRateAndWhetherItIsStochastic() {
        VariationalLSTM fixed = new VariationalLSTM.Builder().nIn(3).nOut(4).recurrentDropout(0.25).build();
        assertThat(fixed.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.25));
        assertThat(fixed.recurrentDropoutRateAt(7, 3)).isEqualTo(0.25);
        assertThat(fixed.hasRecurrentDropout()).isTrue();

        MapSchedule schedule = new MapSchedule(ScheduleType.EPOCH, Map.of(0, 0.5, 2, 0.0));
        VariationalLSTM scheduled = new VariationalLSTM.Builder().nIn(3).nOut(4).recurrentDropout(schedule).build();
        assertThat(scheduled.recurrentDropoutSchedule()).isEqualTo(schedule);
        assertThat(scheduled.recurrentDropoutRateAt(0, 1)).isEqualTo(0.5);
        assertThat(scheduled.recurrentDropoutRateAt(0, 5)).isEqualTo(0.0);
        assertThat(scheduled.hasRecurrentDropout()).as("a schedule counts as stochastic").isTrue();

        VariationalLSTM bad = new VariationalLSTM.Builder().nIn(3).nOut(4).name("enc")
                .recurrentDropout(new ExponentialSchedule(ScheduleType.ITERATION, 0.5, 3.0)).build();
        assertThatThrownBy(() -> bad.recurrentDropoutRateAt(1, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VariationalLSTM 'enc'").hasMessageContaining("gave 1.5")
                .hasMessageContaining("iteration 1, epoch 0");
    }

    /** DL4J's RecurrentWeightDropout does not apply to this layer: refused in build() and, if set globally, at init. */
    @Test
    void rejectsRecurrentWeightDropoutInBuildAndWhenInheritedFromTheGlobalBuilder() {
        assertThatThrownBy(() -> new VariationalLSTM.Builder().nIn(3).nOut(4)
                .weightNoise(Dropouts.recurrentWeights(0.3)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recurrentDropout(rate)");
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .weightNoise(Dropouts.recurrentWeights(0.3)).list()
                .layer(new VariationalLSTM.Builder().nIn(3).nOut(4).name("enc").build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nIn(4).nOut(2).build())
                .build();
        assertThatThrownBy(() -> new MultiLayerNetwork(conf).init()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layer 0 ('enc')").hasMessageContaining("recurrentDropout(rate)");
        // Other weight noise works as on DL4J's LSTM.
        new VariationalLSTM.Builder().nIn(3).nOut(4).weightNoise(new DropConnect(0.9)).build();
    }

    @Test
    void equalsHashCodeAndToStringIncludeTheRecurrentRate() {
        VariationalLSTM a = new VariationalLSTM.Builder().nIn(3).nOut(4).recurrentDropout(0.25).build();
        VariationalLSTM same = new VariationalLSTM.Builder().nIn(3).nOut(4).recurrentDropout(0.25).build();
        VariationalLSTM other = new VariationalLSTM.Builder().nIn(3).nOut(4).recurrentDropout(0.3).build();
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
        assertThat(a.hashCode()).isNotEqualTo(other.hashCode());
        assertThat(a.toString()).startsWith("VariationalLSTM(recurrentDropRate=0.25, LSTM(").contains("nIn=3");
        assertThat(new VariationalLSTM.Builder().recurrentDropout(new MapSchedule(ScheduleType.EPOCH,
                Map.of(0, 0.5))).build().toString()).contains("recurrentDropRateSchedule=MapSchedule");

        LSTM dl4j = new LSTM.Builder().nIn(3).nOut(4).build();
        VariationalLSTM zero = new VariationalLSTM.Builder().nIn(3).nOut(4).build();
        assertThat(dl4j).as("symmetric with DL4J's Lombok equals").isNotEqualTo(zero);
        assertThat(zero).isNotEqualTo(dl4j);
    }

    @Test
    void cloneIsEqualAndIndependent() {
        VariationalLSTM original = new VariationalLSTM.Builder().nIn(3).nOut(4).dropOut(Dropouts.timeShared(0.2))
                .recurrentDropout(new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.4, 10, 0.2))).build();
        VariationalLSTM copy = original.clone();
        assertThat(copy).isEqualTo(original).isNotSameAs(original).hasSameHashCodeAs(original);
        assertThat(copy.recurrentDropoutSchedule()).isEqualTo(original.recurrentDropoutSchedule())
                .isNotSameAs(original.recurrentDropoutSchedule());
        assertThat(copy.getIDropout()).isEqualTo(original.getIDropout()).isNotSameAs(original.getIDropout());
        copy.setNOut(7);
        copy.setLayerName("changed");
        assertThat(original.getNOut()).isEqualTo(4);
        assertThat(original.getLayerName()).isNull();
        assertThat(copy).isNotEqualTo(original);
    }

    /**
     * The builder fills every field DL4J's LSTM constructor fills: built with the same settings (every kind DL4J's
     * builder offers, constraints included), the two configurations serialize to the same JSON apart from the class
     * name and the recurrent drop rate. A field missed by VariationalLSTM's constructor would differ here.
     */
    @Test
    void mirrorsEverySettingOfDl4jLstm() throws Exception {
        LSTM dl4j = new LSTM.Builder().nIn(3).nOut(5).name("enc").activation(Activation.SOFTSIGN)
                .gateActivationFunction(Activation.HARDSIGMOID).forgetGateBiasInit(2.5)
                .weightInit(WeightInit.LECUN_NORMAL).weightInitRecurrent(new UniformDistribution(-0.1, 0.1))
                .biasInit(0.3).gainInit(0.9).l1(1e-4).l2(2e-4).l1Bias(3e-4).l2Bias(4e-4).updater(new Adam(0.01))
                .biasUpdater(new Adam(0.02)).gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(0.7).weightNoise(new DropConnect(0.95))
                .dropOut(Dropouts.timeShared(0.2, RNNFormat.NWC)).dataFormat(RNNFormat.NWC)
                .helperAllowFallback(false).constrainAllParameters(new MaxNormConstraint(2.0, 1))
                .constrainWeights(new UnitNormConstraint(1)).constrainBias(new NonNegativeConstraint())
                .constrainRecurrent(new MaxNormConstraint(3.0, 1)).build();
        VariationalLSTM ours = new VariationalLSTM.Builder().nIn(3).nOut(5).name("enc")
                .activation(Activation.SOFTSIGN).gateActivationFunction(Activation.HARDSIGMOID)
                .forgetGateBiasInit(2.5).weightInit(WeightInit.LECUN_NORMAL)
                .weightInitRecurrent(new UniformDistribution(-0.1, 0.1)).biasInit(0.3).gainInit(0.9).l1(1e-4)
                .l2(2e-4).l1Bias(3e-4).l2Bias(4e-4).updater(new Adam(0.01)).biasUpdater(new Adam(0.02))
                .gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(0.7)
                .weightNoise(new DropConnect(0.95)).dropOut(Dropouts.timeShared(0.2, RNNFormat.NWC))
                .dataFormat(RNNFormat.NWC).helperAllowFallback(false)
                .constrainAllParameters(new MaxNormConstraint(2.0, 1)).constrainWeights(new UnitNormConstraint(1))
                .constrainBias(new NonNegativeConstraint()).constrainRecurrent(new MaxNormConstraint(3.0, 1))
                .recurrentDropout(0.25).build();
        assertThat(ours.getConstraints()).hasSize(4);

        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode expected = (ObjectNode) mapper.readTree(mapper.writeValueAsString(dl4j));
        ObjectNode actual = (ObjectNode) mapper.readTree(mapper.writeValueAsString(ours));
        assertThat(actual.remove("@class").asText()).isEqualTo(VariationalLSTM.class.getName());
        assertThat(actual.remove("recurrentDropoutSchedule").get("value").asDouble()).isEqualTo(0.25);
        expected.remove("@class");
        assertThat(fieldNames(actual)).isEqualTo(fieldNames(expected));
        assertThat(actual).isEqualTo(expected);
    }

    private static java.util.List<String> fieldNames(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** In a network, DL4J's global settings and input-type inference apply to it as to an LSTM. */
    @Test
    void takesGlobalSettingsAndInputTypeLikeAnLstm() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().activation(Activation.TANH)
                .updater(new Adam(0.005)).list()
                .layer(new VariationalLSTM.Builder().nOut(4).recurrentDropout(0.2).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nOut(2).build())
                .setInputType(InputType.recurrent(7, RNNFormat.NWC))
                .build();
        VariationalLSTM layer = (VariationalLSTM) conf.getConf(0).getLayer();
        assertThat(layer.getNIn()).isEqualTo(7);
        assertThat(layer.getRnnDataFormat()).isEqualTo(RNNFormat.NWC);
        assertThat(layer.getActivationFn()).isEqualTo(Activation.TANH.getActivationFunction());
        assertThat(layer.getIUpdater()).isEqualTo(new Adam(0.005));
        assertThat(layer.recurrentDropoutRateAt(0, 0)).isEqualTo(0.2);
    }
}
