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
 * here the four layers run within the same one or two seconds, so the ratio of two counters in one measurement
 * iteration is a paired comparison. Iterations are short (one or two rounds) and many (20), and the summary reports
 * the median of the per-iteration ratios, which a burst of load from other processes in a few iterations does not
 * move.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 20, time = 1)
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

    /**
     * Total wall-clock and process CPU nanoseconds spent in each layer's forward + backward during one measurement
     * iteration. CPU time counts every thread of this JVM (ND4J's OpenMP and OpenBLAS threads included) and hardly
     * depends on other processes' load, which only delays this one; it is the steadier measure on a shared machine.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        public long dl4jLstmNanos;
        public long vlstmRate0Nanos;
        public long vlstmRecurrentNanos;
        public long vlstmInputAndRecurrentNanos;
        public long dl4jLstmCpuNanos;
        public long vlstmRate0CpuNanos;
        public long vlstmRecurrentCpuNanos;
        public long vlstmInputAndRecurrentCpuNanos;

        @Setup(Level.Iteration)
        public void reset() {
            dl4jLstmNanos = 0;
            vlstmRate0Nanos = 0;
            vlstmRecurrentNanos = 0;
            vlstmInputAndRecurrentNanos = 0;
            dl4jLstmCpuNanos = 0;
            vlstmRate0CpuNanos = 0;
            vlstmRecurrentCpuNanos = 0;
            vlstmInputAndRecurrentCpuNanos = 0;
        }

        void add(int layer, long nanos, long cpuNanos) {
            switch (layer) {
                case 0:
                    dl4jLstmNanos += nanos;
                    dl4jLstmCpuNanos += cpuNanos;
                    break;
                case 1:
                    vlstmRate0Nanos += nanos;
                    vlstmRate0CpuNanos += cpuNanos;
                    break;
                case 2:
                    vlstmRecurrentNanos += nanos;
                    vlstmRecurrentCpuNanos += cpuNanos;
                    break;
                default:
                    vlstmInputAndRecurrentNanos += nanos;
                    vlstmInputAndRecurrentCpuNanos += cpuNanos;
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
            long cpu0 = ProcessCpu.nanos();
            long t0 = System.nanoTime();
            nets.nets[i].computeGradientAndScore();
            long wall = System.nanoTime() - t0;
            times.add(i, wall, ProcessCpu.nanos() - cpu0);
            sum += nets.nets[i].score();
        }
        return sum;
    }
}
