package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * In a linear network inverted dropout is unbiased: E[W2 (m2 * W1 (m1 * x) / q2) / q1] = W2 W1 x for independent
 * masks, so the Monte Carlo mean must converge to the deterministic (weight-scaling) output as T grows.
 */
class LinearConvergenceTest {

    private static MultiLayerNetwork linearNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.IDENTITY)
                        .dropOut(new Dropout(0.6)).build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY)
                        .dropOut(new GaussianDropout(0.3)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).dropOut(new Dropout(0.8)).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void monteCarloMeanConvergesToDeterministicOutput() {
        MultiLayerNetwork net = linearNet();
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 4);
        INDArray deterministic = net.output(x);

        double[] rmsError = new double[3];
        int[] ts = {25, 400, 6400};
        for (int i = 0; i < ts.length; i++) {
            McPrediction p = MonteCarloEvaluator.builder(net).samples(ts[i]).seed(9).build().predict(x);
            assertThat(p.task()).isEqualTo(McTask.REGRESSION);
            INDArray error = p.mean().sub(deterministic);
            rmsError[i] = error.norm2Number().doubleValue() / Math.sqrt(error.length());
            if (ts[i] == 6400) {
                // Each element of the mean is within 5 standard errors sqrt(var / T) of its expectation: for the 10
                // outputs a false failure has probability below 1e-5. 1e-12 absorbs rounding when var == 0.
                INDArray bound = Transforms.sqrt(p.variance().div(ts[i])).muli(5).addi(1e-12);
                assertThat(Transforms.abs(error).sub(bound).maxNumber().doubleValue()).as("error %s within %s", error, bound)
                        .isLessThanOrEqualTo(0.0);
            }
        }
        // The standard error shrinks like 1/sqrt(T): 16x from T = 25 to 6400. Demanding 4x leaves a wide margin.
        assertThat(rmsError[2]).isLessThan(rmsError[0] / 4);
        assertThat(rmsError[1]).isLessThan(rmsError[0]);
        // The deterministic side of the prediction is DL4J's own output.
        McPrediction p = MonteCarloEvaluator.builder(net).samples(3).build().predict(x);
        assertThat(p.deterministic().equalsWithEps(deterministic, 1e-12)).isTrue();
    }
}
