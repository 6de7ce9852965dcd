package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.dropout.InvertedDropout;
import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.SpatialFormat;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.junit.jupiter.api.Test;

/**
 * The mapping rules of {@link DropoutLayerMapping} and {@link NoiseShape} on hand-written Keras layer configurations,
 * for the cases no test file covers: 2-D spatial dropout in both layouts, Keras 1 field names, invalid values.
 */
class DropoutLayerMappingTest {

    private static KerasLayerSpec spec(String className, Object... fieldsAndValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("name", "layer_x");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            config.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return KerasLayerSpec.of(Map.of("class_name", className, "config", config));
    }

    private static final ActivationLayout NHWC = ActivationLayout.of(InputType.convolutional(8, 8, 3,
            CNN2DFormat.NHWC));
    private static final ActivationLayout NCHW = ActivationLayout.of(InputType.convolutional(8, 8, 3,
            CNN2DFormat.NCHW));
    private static final ActivationLayout NWC = ActivationLayout.of(InputType.recurrent(4, 10, RNNFormat.NWC));
    private static final ActivationLayout NCW = ActivationLayout.of(InputType.recurrent(4, 10, RNNFormat.NCW));
    private static final ActivationLayout FF = ActivationLayout.of(InputType.feedForward(6));

    @Test
    void spatialDropout2dDropsTheChannelsOfEitherLayout() throws Exception {
        DropoutLayerMapping.Mapped last = DropoutLayerMapping.map(spec("SpatialDropout2D", "rate", 0.25),
                KerasFields.KERAS_2, NHWC);
        assertThat(last.dropout).isEqualTo(new SpatialChannelDropout(0.25, SpatialFormat.NHWC));
        assertThat(last.line).hasToString("layer layer_x: Keras SpatialDropout2D(rate=0.25) -> Dropouts.spatial(0.25,"
                + " CNN2DFormat.NHWC); DL4J's import would have used SpatialDropout(0.75), which drops dimension 1:"
                + " whole image rows of these NHWC activations instead of channels");
        DropoutLayerMapping.Mapped first = DropoutLayerMapping.map(spec("SpatialDropout2D", "rate", 0.25,
                "data_format", "channels_first"), KerasFields.KERAS_2, NCHW);
        assertThat(first.dropout).isEqualTo(new SpatialChannelDropout(0.25, SpatialFormat.NCHW));
        assertThat(first.line.dl4jImport()).endsWith("the channels here, as intended");
        assertThat(first.line.note()).isEmpty();
        // tf.keras does not save data_format: on channels-first activations the import says what it assumed.
        assertThat(DropoutLayerMapping.map(spec("SpatialDropout2D", "rate", 0.25), KerasFields.KERAS_2, NCHW).line
                .note()).hasValueSatisfying(n -> assertThat(n).contains("does not record data_format"));
        assertThat(DropoutLayerMapping.map(spec("SpatialDropout3D", "rate", 0.5), KerasFields.KERAS_2,
                ActivationLayout.of(InputType.convolutional3D(Convolution3D.DataFormat.NDHWC, 4, 4, 4, 2))).dropout)
                .isEqualTo(new SpatialChannelDropout(0.5, SpatialFormat.NDHWC));
    }

    @Test
    void spatialDropoutThatWouldNotDropChannelsIsRefused() {
        assertThatThrownBy(() -> DropoutLayerMapping.map(spec("SpatialDropout2D", "rate", 0.25, "data_format",
                "channels_first"), KerasFields.KERAS_2, NHWC))
                .isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessageStartingWith("SpatialDropout2D(rate=0.25) with data_format=channels_first on layer"
                        + " 'layer_x' (SpatialDropout2D) cannot be honoured: the imported activations here are NHWC");
        assertThatThrownBy(() -> DropoutLayerMapping.map(spec("SpatialDropout2D", "rate", 0.25), KerasFields.KERAS_2,
                NWC)).isInstanceOf(UnsupportedKerasDropoutException.class).hasMessageContaining("needs rank-4");
        assertThatThrownBy(() -> DropoutLayerMapping.map(spec("SpatialDropout1D", "rate", 0.25), KerasFields.KERAS_2,
                NCW)).isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessageContaining("drops along the last axis, which holds time steps");
    }

    @Test
    void keras1FieldNamesAreRead() throws Exception {
        DropoutLayerMapping.Mapped dropout = DropoutLayerMapping.map(spec("Dropout", "p", 0.3), KerasFields.KERAS_1,
                FF);
        assertThat(dropout.dropout).isEqualTo(new InvertedDropout(0.3));
        assertThat(dropout.line.kerasSetting()).isEqualTo("Dropout(p=0.3)");
        assertThat(DropoutLayerMapping.map(spec("GaussianNoise", "sigma", 0.2), KerasFields.KERAS_1, FF).dropout)
                .isEqualTo(new GaussianNoise(0.2));
        assertThat(DropoutLayerMapping.map(spec("GaussianDropout", "p", 0.2), KerasFields.KERAS_1, FF).dropout)
                .isEqualTo(new GaussianMultiplicativeDropout(0.2));
    }

    @Test
    void degenerateAndInvalidValues() throws Exception {
        assertThat(DropoutLayerMapping.map(spec("GaussianDropout", "rate", 0.0), KerasFields.KERAS_2, FF).line
                .dl4jImport()).contains("infinite multiplier stddev");
        assertThat(DropoutLayerMapping.map(spec("Dropout", "rate", 0.0), KerasFields.KERAS_2, FF).line.dl4jImport())
                .startsWith("does the same");
        assertThatThrownBy(() -> DropoutLayerMapping.map(spec("Dropout"), KerasFields.KERAS_2, FF))
                .isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessage("rate=None on layer 'layer_x' (Dropout) cannot be honoured: the layer configuration has no"
                        + " drop rate");
        assertThatThrownBy(() -> DropoutLayerMapping.map(spec("GaussianNoise", "stddev", -1.0), KerasFields.KERAS_2,
                FF)).isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessageContaining("a standard deviation must be a finite number >= 0");
        assertThatThrownBy(() -> DropoutLayerMapping.map(spec("AlphaDropout", "rate", 0.1, "noise_shape",
                Arrays.asList(null, 1)), KerasFields.KERAS_2, FF))
                .isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessage("noise_shape=(None, 1) on layer 'layer_x' (AlphaDropout) is not supported: alpha dropout"
                        + " is reproduced element-wise only");
    }

    @Test
    void noiseShapePatterns() {
        assertThat(NoiseShape.resolve(Arrays.asList(null, null), FF)).isEqualTo(NoiseShape.Kind.STANDARD);
        assertThat(NoiseShape.resolve(Arrays.asList(32, 1, 4), NWC)).isEqualTo(NoiseShape.Kind.TIME_SHARED);
        assertThat(NoiseShape.resolve(Arrays.asList(null, 4, 1), NCW)).isEqualTo(NoiseShape.Kind.TIME_SHARED);
        assertThat(NoiseShape.resolve(Arrays.asList(null, 1, 1, null), NHWC)).isEqualTo(NoiseShape.Kind.SPATIAL);
        assertThat(NoiseShape.resolve(Arrays.asList(null, 3, 1, 1), NCHW)).isEqualTo(NoiseShape.Kind.SPATIAL);
        // Whole time steps, one mask for the batch, a wrong rank, a non-integer: no equivalent.
        for (List<?> refused : List.of(Arrays.asList(null, null, 1), Arrays.asList(1, null, null),
                Arrays.asList(null, null), Arrays.asList(null, 1.5, null))) {
            assertThatThrownBy(() -> NoiseShape.resolve(refused, NWC)).as("%s", refused)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(NoiseShape.render(Arrays.asList(null, 1, 4))).isEqualTo("(None, 1, 4)");
        assertThat(NoiseShape.render(Arrays.asList((Object) null))).isEqualTo("(None,)");
    }

    @Test
    void layerMappingLinesAndEquality() {
        LayerMapping m = new LayerMapping("dropout_1", "Dropout(rate=0.2)", "Dropouts.standard(0.2)",
                "would have disabled it", null);
        assertThat(m).hasToString("layer dropout_1: Keras Dropout(rate=0.2) -> Dropouts.standard(0.2); DL4J's import"
                + " would have disabled it");
        LayerMapping noted = new LayerMapping("dropout_1", "Dropout(rate=0.2)", "Dropouts.standard(0.2)",
                "would have disabled it", "a caveat");
        assertThat(noted.toString()).endsWith("(note: a caveat)");
        assertThat(m).isEqualTo(new LayerMapping("dropout_1", "Dropout(rate=0.2)", "Dropouts.standard(0.2)",
                "would have disabled it", null)).isNotEqualTo(noted);
        assertThat(new KerasDropoutImport.Result<>(null, List.of()).report()).isEqualTo("no dropout settings");
        assertThat(new KerasDropoutImport.Result<>(null, List.of(m, noted)).toString()).isEqualTo(m + "\n" + noted);
    }
}
