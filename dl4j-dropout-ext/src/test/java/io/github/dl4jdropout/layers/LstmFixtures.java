package io.github.dl4jdropout.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small recurrent networks and data shared by the tests of this package. */
final class LstmFixtures {

    static final long SEED = 12345;

    private LstmFixtures() {
    }

    /** Global settings for a test network: fixed seed, no updater, weights N(0, 0.5) so gates are not saturated. */
    static NeuralNetConfiguration.Builder base(DataType dataType, WorkspaceMode workspaces) {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(dataType).updater(new NoOp())
                .dist(new NormalDistribution(0, 0.5)).trainingWorkspaceMode(workspaces)
                .inferenceWorkspaceMode(workspaces);
    }

    /** One recurrent layer followed by an MSE RnnOutputLayer with nOut outputs per step. */
    static MultiLayerNetwork net(Layer recurrent, long nIn, long hidden, long nOut, RNNFormat format,
                                 DataType dataType, WorkspaceMode workspaces) {
        MultiLayerConfiguration conf = base(dataType, workspaces).list()
                .layer(recurrent)
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nIn(hidden).nOut(nOut)
                        .activation(Activation.IDENTITY).dataFormat(format).build())
                .setInputType(InputType.recurrent(nIn, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Uniform [-1, 1) sequences {@code [examples, size, steps]} (NCW) or {@code [examples, steps, size]} (NWC). */
    static INDArray sequences(RNNFormat format, DataType dataType, long examples, long size, long steps) {
        long[] shape = format == RNNFormat.NCW ? new long[]{examples, size, steps} : new long[]{examples, steps, size};
        return Nd4j.rand(dataType, shape).muli(2).subi(1);
    }

    /**
     * A features mask {@code [examples, steps]} with example i of length {@code steps - i % steps} (post-padding),
     * except example 1, which is pre-padded (its first step is masked), to cover both layouts.
     */
    static INDArray featuresMask(DataType dataType, long examples, long steps) {
        INDArray mask = Nd4j.ones(dataType, examples, steps);
        for (long i = 0; i < examples; i++) {
            long length = steps - (i % Math.max(1, steps - 1));
            for (long t = length; t < steps; t++) {
                mask.putScalar(i, t, 0.0);
            }
        }
        if (examples > 1) {
            mask.putRow(1, Nd4j.ones(dataType, 1, steps));
            mask.putScalar(1, 0, 0.0);
        }
        return mask;
    }

    /**
     * Largest absolute element-wise difference. Equal values (infinities included) and NaN in the same places count
     * as equal: unbounded activations (CUBE gates) overflow FLOAT in both implementations alike.
     */
    static double maxAbsDiff(INDArray a, INDArray b) {
        double[] x = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = b.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (x.length != y.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) {
                continue;
            }
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                if (Double.isNaN(x[i]) != Double.isNaN(y[i])) {
                    return Double.POSITIVE_INFINITY;
                }
                continue;
            }
            max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    /**
     * Computes the gradient of the network on (x, y) in training mode after reseeding the RNG, and returns a copy of
     * the flattened gradient.
     */
    static INDArray gradient(MultiLayerNetwork net, INDArray x, INDArray y, INDArray featuresMask, long seed) {
        Nd4j.getRandom().setSeed(seed);
        net.setInput(x);
        net.setLabels(y);
        net.setLayerMaskArrays(featuresMask, null);
        net.computeGradientAndScore();
        INDArray g = net.gradient().gradient().dup();
        net.clearLayerMaskArrays();
        return g;
    }
}
