package io.github.dl4jdropout.examples.uci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.examples.support.Training;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The network of Gal's {@code net.py}, and the factor 2 between Keras's and DL4J's L2 conventions. */
class UciNetworkTest {

    @Test
    void weightDecayEqualsKerasPenaltyOfGalsCode() {
        double dropRate = 0.05;
        int rows = 364;
        double tau = 0.15;
        double c = UciNetwork.l2Coefficient(dropRate, rows, tau);
        MultiLayerNetwork net = Training.network(UciNetwork.configuration(13, 50, dropRate, c, 7));
        double sumSquaredWeights = 0;
        for (int layer = 0; layer < 2; layer++) {
            INDArray w = net.getLayer(layer).getParam("W");
            sumSquaredWeights += w.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).mul(w).sumNumber()
                    .doubleValue();
        }
        // Keras: reg = l^2 (1 - p) / (2 N tau), penalty reg * sum(w^2) over the weights of both Dense layers (biases
        // not regularized). DL4J's score must add the same; without the factor 2 it would add half. Tolerance: float
        // weights summed in double, relative 1e-5.
        double reg = 1e-4 * (1 - dropRate) / (2.0 * rows * tau);
        double keras = reg * sumSquaredWeights;
        assertThat(net.calcRegularizationScore(true)).isCloseTo(keras, within(keras * 1e-5));
    }

    @Test
    void dropsTheInputsAndTheHiddenUnitsAndHasFiftyReluUnits() {
        var conf = UciNetwork.configuration(8, 50, 0.1, 1e-6, 1);
        assertThat(conf.getConfs()).hasSize(2);
        var hidden = (org.deeplearning4j.nn.conf.layers.DenseLayer) conf.getConf(0).getLayer();
        var output = (org.deeplearning4j.nn.conf.layers.OutputLayer) conf.getConf(1).getLayer();
        assertThat(hidden.getNOut()).isEqualTo(50);
        assertThat(hidden.getActivationFn().toString()).isEqualToIgnoringCase("relu");
        assertThat(hidden.getIDropout()).isNotNull();
        assertThat(output.getIDropout()).isNotNull().isNotSameAs(hidden.getIDropout());
        assertThat(output.getNOut()).isEqualTo(1);
    }
}
