package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link KerasOrthogonalInit}: orthonormal rows or columns, gain, seeding, arguments, JSON. */
class KerasOrthogonalInitTest {

    /** Orthonormal to double rounding of a Gram-Schmidt run twice: 1e-10 on matrices of at most 200 entries a row. */
    private static final double TOLERANCE = 1e-10;

    private static INDArray init(KerasOrthogonalInit init, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        INDArray view = Nd4j.zeros(DataType.DOUBLE, 1, n);
        return init.init(0, 0, shape, 'f', view);
    }

    @ParameterizedTest
    @CsvSource({"50, 200", "200, 50", "8, 8", "1, 5", "5, 1"})
    void fewerSideIsOrthonormal(int rows, int cols) {
        INDArray w = init(new KerasOrthogonalInit(1.0), rows, cols);
        assertThat(w.shape()).containsExactly(rows, cols);
        INDArray gram = rows <= cols ? w.mmul(w.transpose()) : w.transpose().mmul(w);
        int n = Math.min(rows, cols);
        assertThat(gram.sub(Nd4j.eye(n).castTo(DataType.DOUBLE)).amaxNumber().doubleValue()).isLessThan(TOLERANCE);
    }

    @Test
    void gainScalesAndHigherRanksFlattenAllButTheLastDimension() {
        INDArray w = init(new KerasOrthogonalInit(2.0), 3, 3, 4, 8);      // a conv kernel: [36, 8] flattened
        INDArray flat = w.reshape('c', 36, 8);
        INDArray gram = flat.transpose().mmul(flat);
        assertThat(gram.sub(Nd4j.eye(8).castTo(DataType.DOUBLE).mul(4.0)).amaxNumber().doubleValue())
                .isLessThan(4 * TOLERANCE);
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        Nd4j.getRandom().setSeed(3);
        INDArray a = init(new KerasOrthogonalInit(1.0), 20, 80);
        Nd4j.getRandom().setSeed(3);
        INDArray b = init(new KerasOrthogonalInit(1.0), 20, 80);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void invalidArgumentsAreRejectedWithTheValue() {
        assertThatThrownBy(() -> new KerasOrthogonalInit(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gain must be a finite number, got NaN");
        assertThatThrownBy(() -> new KerasOrthogonalInit(1).init(0, 0, new long[0], 'c', Nd4j.zeros(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got []");
        assertThatThrownBy(() -> new KerasOrthogonalInit(1).init(0, 0, new long[]{0, 3}, 'c', Nd4j.zeros(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got [0, 3]");
    }

    @Test
    void jsonRoundTripKeepsTheInitializer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(3).nOut(4).weightInitRecurrent(new KerasOrthogonalInit(1.5)).build())
                .build();
        String json = conf.toJson();
        assertThat(json).contains("io.github.dl4jdropout.keras.KerasOrthogonalInit");
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertThat(((LSTM) back.getConf(0).getLayer()).getWeightInitFnRecurrent())
                .isEqualTo(new KerasOrthogonalInit(1.5));
        assertThat(new KerasOrthogonalInit(1.5)).hasSameHashCodeAs(new KerasOrthogonalInit(1.5))
                .hasToString("KerasOrthogonalInit(gain=1.5)").isNotEqualTo(new KerasOrthogonalInit(1.0));
    }
}
