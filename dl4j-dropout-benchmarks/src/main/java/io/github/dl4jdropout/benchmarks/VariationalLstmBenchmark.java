package io.github.dl4jdropout.benchmarks;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.layers.VariationalLSTM;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward plus backward pass of one recurrent layer, nIn = nOut = 128, on a FLOAT minibatch {@code [64, 128, 50]}
 * (NCW), as in one training step: {@code computeGradientAndScore()} of a network made of the layer and a
 * parameter-free MSE {@code RnnLossLayer} (an element-wise cost, under 1% of the LSTM's), with DL4J's default
 * training workspaces. No updater runs.
 *
 * <p>Layers, in the same run: DL4J's {@code LSTM} without dropout ({@code dl4jLstm}); {@code VariationalLSTM} with
 * both rates 0 ({@code vlstmRate0}); with recurrent dropout 0.25 only ({@code vlstmRecurrent}); and with
 * {@code Dropouts.timeShared(0.25)} on the input plus recurrent dropout 0.25 ({@code vlstmInputAndRecurrent}, Keras'
 * {@code LSTM(128, dropout=0.25, recurrent_dropout=0.25)}). Tanh activation, sigmoid gates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", BenchmarkSuite.QUIET_LOGS})
public class VariationalLstmBenchmark {

    static final int MINIBATCH = 64;
    static final int SIZE = 128;
    static final int STEPS = 50;

    @Param({"dl4jLstm", "vlstmRate0", "vlstmRecurrent", "vlstmInputAndRecurrent"})
    public String layer;

    private MultiLayerNetwork net;

    static Layer recurrentLayer(String name) {
        switch (name) {
            case "dl4jLstm":
                return new LSTM.Builder().nIn(SIZE).nOut(SIZE).activation(Activation.TANH).build();
            case "vlstmRate0":
                return new VariationalLSTM.Builder().nIn(SIZE).nOut(SIZE).activation(Activation.TANH).build();
            case "vlstmRecurrent":
                return new VariationalLSTM.Builder().nIn(SIZE).nOut(SIZE).activation(Activation.TANH)
                        .recurrentDropout(0.25).build();
            case "vlstmInputAndRecurrent":
                return new VariationalLSTM.Builder().nIn(SIZE).nOut(SIZE).activation(Activation.TANH)
                        .dropOut(Dropouts.timeShared(0.25)).recurrentDropout(0.25).build();
            default:
                throw new IllegalArgumentException("layer must be dl4jLstm, vlstmRate0, vlstmRecurrent or"
                        + " vlstmInputAndRecurrent, got " + name);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new NoOp()).list()
                .layer(recurrentLayer(layer))
                .layer(new RnnLossLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(SIZE, STEPS))
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(7);
        net.setInput(Nd4j.rand(DataType.FLOAT, MINIBATCH, SIZE, STEPS));
        net.setLabels(Nd4j.rand(DataType.FLOAT, MINIBATCH, SIZE, STEPS));
    }

    @Benchmark
    public double forwardBackward() {
        net.computeGradientAndScore();
        return net.score();
    }
}
