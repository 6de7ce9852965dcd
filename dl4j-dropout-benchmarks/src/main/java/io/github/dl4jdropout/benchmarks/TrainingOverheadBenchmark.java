package io.github.dl4jdropout.benchmarks;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.layers.VariationalLSTM;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * What dropout costs a training step ({@code net.fit(DataSet)}, Adam), paired: inside every operation the four
 * variants of one network each run one step, in a rotating order, and each one's wall-clock and process CPU time is
 * added to its own counter. The summary takes the median over measurement iterations of each variant's time divided
 * by the no-dropout network's time in the same iteration, so load from other processes, which moves all four alike,
 * cancels (the separate-fork {@link MlpTrainingBenchmark} measured +19% for dropout on a loaded machine, while three
 * masks cost about 1 ms; this benchmark is the paired re-measurement).
 *
 * <p>The variants, one {@link IDropout} instance per layer:
 * <ul>
 *   <li>{@code none}: no dropout;</li>
 *   <li>{@code identity}: an {@code IDropout} that returns its input unchanged: the cost of DL4J's dropout plumbing
 *       alone (copying a layer's input when it may not be modified in place, the backprop call);</li>
 *   <li>{@code ours}: this library's variant for the network: {@code Dropouts.standard(0.5)} (MLP),
 *       {@code Dropouts.spatial(0.2)} on the second convolution's input and {@code standard(0.5)} on the dense head
 *       (CNN), {@code VariationalLSTM} with {@code timeShared(0.25)} input and {@code recurrentDropout(0.25)} (LSTM);
 *       </li>
 *   <li>{@code dl4j}: DL4J's own {@code Dropout} at the same places and (element-wise) rates.</li>
 * </ul>
 *
 * <p>Networks (FLOAT, seed 42): {@code mlp} 784-1024-1024-10 with dropout on the input of layers 2 and 3, batch 128;
 * {@code cnn} the benchmark CNN of {@link Nets#cnn} with a second dropout, on the second convolution's input, 64
 * images; {@code lstm} LSTM(28 -> 128) over 28 steps and a per-step softmax of 10, 64 sequences, dropout on the
 * LSTM's input.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 20, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", BenchmarkSuite.QUIET_LOGS})
public class TrainingOverheadBenchmark {

    /** The variants, in counter order. */
    static final String[] VARIANTS = {"none", "identity", "ours", "dl4j"};

    /** One network per variant, with the same batch. */
    @State(Scope.Thread)
    public static class Networks {
        @Param({"mlp", "cnn", "lstm"})
        public String network;

        final MultiLayerNetwork[] nets = new MultiLayerNetwork[VARIANTS.length];
        DataSet batch;
        int round;

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < VARIANTS.length; i++) {
                nets[i] = build(network, VARIANTS[i]);
            }
            Nd4j.getRandom().setSeed(7);
            batch = batch(network);
        }
    }

    /** Wall-clock and process CPU nanoseconds per variant in one measurement iteration (CPU: every JVM thread). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        public long noneNanos;
        public long identityNanos;
        public long oursNanos;
        public long dl4jNanos;
        public long noneCpuNanos;
        public long identityCpuNanos;
        public long oursCpuNanos;
        public long dl4jCpuNanos;

        @Setup(Level.Iteration)
        public void reset() {
            noneNanos = 0;
            identityNanos = 0;
            oursNanos = 0;
            dl4jNanos = 0;
            noneCpuNanos = 0;
            identityCpuNanos = 0;
            oursCpuNanos = 0;
            dl4jCpuNanos = 0;
        }

        void add(int variant, long nanos, long cpuNanos) {
            switch (variant) {
                case 0:
                    noneNanos += nanos;
                    noneCpuNanos += cpuNanos;
                    break;
                case 1:
                    identityNanos += nanos;
                    identityCpuNanos += cpuNanos;
                    break;
                case 2:
                    oursNanos += nanos;
                    oursCpuNanos += cpuNanos;
                    break;
                default:
                    dl4jNanos += nanos;
                    dl4jCpuNanos += cpuNanos;
            }
        }
    }

    /** One round: each variant fits the batch once, starting with a different one each round. */
    @Benchmark
    public double interleaved(Networks networks, Times times) {
        double sum = 0;
        int start = networks.round++ % VARIANTS.length;
        for (int k = 0; k < VARIANTS.length; k++) {
            int i = (start + k) % VARIANTS.length;
            long cpu0 = ProcessCpu.nanos();
            long t0 = System.nanoTime();
            networks.nets[i].fit(networks.batch);
            long wall = System.nanoTime() - t0;
            times.add(i, wall, ProcessCpu.nanos() - cpu0);
            sum += networks.nets[i].score();
        }
        return sum;
    }

    static MultiLayerNetwork build(String network, String variant) {
        switch (network) {
            case "mlp":
                return Nets.mlp(dropout(variant, () -> Dropouts.standard(0.5), () -> new Dropout(0.5)));
            case "cnn":
                return Nets.cnn(dropout(variant, () -> Dropouts.spatial(0.2), () -> new Dropout(0.8)),
                        dropout(variant, () -> Dropouts.standard(0.5), () -> new Dropout(0.5)));
            case "lstm":
                return lstm(variant);
            default:
                throw new IllegalArgumentException("network must be mlp, cnn or lstm, got " + network);
        }
    }

    /** One new instance per call for the variant, or null for {@code none}. */
    private static Supplier<IDropout> dropout(String variant, Supplier<IDropout> ours, Supplier<IDropout> dl4j) {
        switch (variant) {
            case "none":
                return null;
            case "identity":
                return IdentityDropout::new;
            case "ours":
                return ours;
            case "dl4j":
                return dl4j;
            default:
                throw new IllegalArgumentException("variant must be one of none, identity, ours, dl4j, got "
                        + variant);
        }
    }

    static final int LSTM_MINIBATCH = 64;
    static final int LSTM_INPUT = 28;
    static final int LSTM_UNITS = 128;
    static final int LSTM_STEPS = 28;

    private static MultiLayerNetwork lstm(String variant) {
        Layer recurrent;
        switch (variant) {
            case "none":
                recurrent = new LSTM.Builder().nIn(LSTM_INPUT).nOut(LSTM_UNITS).activation(Activation.TANH).build();
                break;
            case "identity":
                recurrent = new LSTM.Builder().nIn(LSTM_INPUT).nOut(LSTM_UNITS).activation(Activation.TANH)
                        .dropOut(new IdentityDropout()).build();
                break;
            case "ours":
                recurrent = new VariationalLSTM.Builder().nIn(LSTM_INPUT).nOut(LSTM_UNITS)
                        .activation(Activation.TANH).dropOut(Dropouts.timeShared(0.25)).recurrentDropout(0.25)
                        .build();
                break;
            case "dl4j":
                recurrent = new LSTM.Builder().nIn(LSTM_INPUT).nOut(LSTM_UNITS).activation(Activation.TANH)
                        .dropOut(new Dropout(0.75)).build();
                break;
            default:
                throw new IllegalArgumentException("variant must be one of none, identity, ours, dl4j, got "
                        + variant);
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(1e-3))
                .list()
                .layer(recurrent)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(Nets.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(LSTM_INPUT, LSTM_STEPS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet batch(String network) {
        if (network.equals("lstm")) {
            INDArray x = Nd4j.rand(DataType.FLOAT, LSTM_MINIBATCH, LSTM_INPUT, LSTM_STEPS);
            INDArray y = Nd4j.zeros(DataType.FLOAT, LSTM_MINIBATCH, Nets.CLASSES, LSTM_STEPS);
            for (int i = 0; i < LSTM_MINIBATCH; i++) {
                for (int t = 0; t < LSTM_STEPS; t++) {
                    y.putScalar(new int[] {i, (i + t) % Nets.CLASSES, t}, 1.0);
                }
            }
            return new DataSet(x, y);
        }
        int rows = network.equals("mlp") ? 128 : 64;
        INDArray x = Nd4j.rand(DataType.FLOAT, rows, Nets.MNIST_PIXELS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, Nets.CLASSES);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i % Nets.CLASSES, 1.0);
        }
        return new DataSet(x, y);
    }
}
