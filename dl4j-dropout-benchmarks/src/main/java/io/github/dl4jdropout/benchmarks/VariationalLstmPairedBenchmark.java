package io.github.dl4jdropout.benchmarks;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The workload of {@link VariationalLstmBenchmark}, but the four layers run in turn inside every operation, in a
 * rotating order, and each one's time is added to its own counter. On a machine shared with other work, the load
 * changes between the separate runs of {@link VariationalLstmBenchmark}'s parameters (one fork after the other);
 * here every layer sees the same load, so the ratio of two counters in one measurement iteration is a paired
 * comparison. The summary reports those per-iteration ratios.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 6, time = 6)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", BenchmarkSuite.QUIET_LOGS})
public class VariationalLstmPairedBenchmark {

    /** The layers compared, in {@link VariationalLstmBenchmark}'s names. */
    static final String[] LAYERS = {"dl4jLstm", "vlstmRate0", "vlstmRecurrent", "vlstmInputAndRecurrent"};

    /** One network per layer, with the same input and labels. */
    @State(Scope.Thread)
    public static class Nets {
        final MultiLayerNetwork[] nets = new MultiLayerNetwork[LAYERS.length];
        int round;

        @Setup(Level.Trial)
        public void setUp() {
            Nd4j.getRandom().setSeed(7);
            INDArray x = Nd4j.rand(DataType.FLOAT, VariationalLstmBenchmark.MINIBATCH, VariationalLstmBenchmark.SIZE,
                    VariationalLstmBenchmark.STEPS);
            INDArray y = Nd4j.rand(DataType.FLOAT, VariationalLstmBenchmark.MINIBATCH, VariationalLstmBenchmark.SIZE,
                    VariationalLstmBenchmark.STEPS);
            for (int i = 0; i < LAYERS.length; i++) {
                MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new NoOp()).list()
                        .layer(VariationalLstmBenchmark.recurrentLayer(LAYERS[i]))
                        .layer(new RnnLossLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).build())
                        .setInputType(InputType.recurrent(VariationalLstmBenchmark.SIZE,
                                VariationalLstmBenchmark.STEPS))
                        .build();
                nets[i] = new MultiLayerNetwork(conf);
                nets[i].init();
                nets[i].setInput(x);
                nets[i].setLabels(y);
            }
        }
    }

    /** Total nanoseconds spent in each layer's forward + backward during one measurement iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        public long dl4jLstmNanos;
        public long vlstmRate0Nanos;
        public long vlstmRecurrentNanos;
        public long vlstmInputAndRecurrentNanos;

        @Setup(Level.Iteration)
        public void reset() {
            dl4jLstmNanos = 0;
            vlstmRate0Nanos = 0;
            vlstmRecurrentNanos = 0;
            vlstmInputAndRecurrentNanos = 0;
        }

        void add(int layer, long nanos) {
            switch (layer) {
                case 0:
                    dl4jLstmNanos += nanos;
                    break;
                case 1:
                    vlstmRate0Nanos += nanos;
                    break;
                case 2:
                    vlstmRecurrentNanos += nanos;
                    break;
                default:
                    vlstmInputAndRecurrentNanos += nanos;
            }
        }
    }

    /** One round: each of the four layers once, starting with a different one each round. */
    @Benchmark
    public double interleaved(Nets nets, Times times) {
        double sum = 0;
        int start = nets.round++ % LAYERS.length;
        for (int k = 0; k < LAYERS.length; k++) {
            int i = (start + k) % LAYERS.length;
            long t0 = System.nanoTime();
            nets.nets[i].computeGradientAndScore();
            times.add(i, System.nanoTime() - t0);
            sum += nets.nets[i].score();
        }
        return sum;
    }
}
