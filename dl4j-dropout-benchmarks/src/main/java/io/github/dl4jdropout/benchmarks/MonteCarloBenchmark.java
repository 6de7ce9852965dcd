package io.github.dl4jdropout.benchmarks;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.montecarlo.McSampling;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * Monte Carlo prediction with T samples on {@code examples} MNIST-sized inputs (random pixels, random weights):
 * <ul>
 *   <li>{@code naiveLoop}: T calls of {@code net.output(x, true)}, averaged: what a user writes without the library;</li>
 *   <li>{@code evaluator}: {@code MonteCarloEvaluator.builder(net).samples(T).build().predict(x)} (mean, variance,
 *       entropy, mutual information);</li>
 *   <li>{@code evaluatorNoPrefixReuse}: the same with {@code reusePrefix(false)};</li>
 *   <li>{@code evaluatorPerPass}: the same with {@code sampling(McSampling.PER_PASS)}: one thinned network per
 *       sample for the whole minibatch;</li>
 *   <li>{@code gemmLimit}: only the matrix products the evaluator cannot avoid, with raw {@code Nd4j.gemm} into
 *       preallocated arrays: the deterministic prefix once, the stochastic layers T times.</li>
 * </ul>
 * One operation takes seconds, so each measurement iteration is a single call ({@link Mode#SingleShotTime}); the
 * JIT, DL4J's workspaces and ND4J's allocator are warmed in {@code @Setup} with one sample on the full input.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=12g",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=16g", BenchmarkSuite.QUIET_LOGS})
public class MonteCarloBenchmark {

    /** The network and its input. */
    @State(Scope.Benchmark)
    public static class Model {
        @Param({"mlp", "cnn"})
        public String net;

        @Param({"10000"})
        public int examples;

        @Param({"50"})
        public int samples;

        MultiLayerNetwork network;
        INDArray x;
        MonteCarloEvaluator evaluator;
        MonteCarloEvaluator evaluatorNoReuse;
        MonteCarloEvaluator evaluatorPerPass;

        @Setup(Level.Trial)
        public void setUp() {
            network = "mlp".equals(net) ? Nets.mlp(() -> Dropouts.standard(0.5))
                    : Nets.cnn(() -> Dropouts.standard(0.5));
            Nd4j.getRandom().setSeed(1);
            x = Nd4j.rand(DataType.FLOAT, examples, Nets.MNIST_PIXELS);
            evaluator = MonteCarloEvaluator.builder(network).samples(samples).build();
            evaluatorNoReuse = MonteCarloEvaluator.builder(network).samples(samples).reusePrefix(false).build();
            evaluatorPerPass = MonteCarloEvaluator.builder(network).samples(samples).sampling(McSampling.PER_PASS)
                    .build();
            // Warm-up with one sample on the full input: JIT, workspaces, allocator.
            network.output(x, true);
            MonteCarloEvaluator.builder(network).samples(1).build().predict(x);
            MonteCarloEvaluator.builder(network).samples(1).reusePrefix(false).build().predict(x);
            MonteCarloEvaluator.builder(network).samples(1).sampling(McSampling.PER_PASS).build().predict(x);
        }
    }

    /**
     * Operands of the unavoidable matrix products. MLP: the prefix [n,784]x[784,1024] once, then per sample
     * [n,1024]x[1024,1024] and [n,1024]x[1024,10]. CNN: each convolution as the GEMM it lowers to, on an
     * already-unfolded input (so no im2col, bias or activation counted), [n*12*12, 25]x[25,16] and
     * [n*5*5, 144]x[144,32], once; then per sample the dense head [n,800]x[800,256] and [n,256]x[256,10].
     */
    @State(Scope.Benchmark)
    public static class Limit {
        INDArray[] prefixA;
        INDArray[] prefixB;
        INDArray[] prefixC;
        INDArray[] sampleA;
        INDArray[] sampleB;
        INDArray[] sampleC;
        int samples;

        @Setup(Level.Trial)
        public void setUp(Model model) {
            samples = model.samples;
            long n = model.examples;
            Nd4j.getRandom().setSeed(2);
            if ("mlp".equals(model.net)) {
                prefixA = new INDArray[]{rand(n, Nets.MNIST_PIXELS)};
                prefixB = new INDArray[]{rand(Nets.MNIST_PIXELS, Nets.HIDDEN)};
                prefixC = new INDArray[]{out(n, Nets.HIDDEN)};
                INDArray hidden2 = out(n, Nets.HIDDEN);
                sampleA = new INDArray[]{rand(n, Nets.HIDDEN), hidden2};
                sampleB = new INDArray[]{rand(Nets.HIDDEN, Nets.HIDDEN), rand(Nets.HIDDEN, Nets.CLASSES)};
                sampleC = new INDArray[]{hidden2, out(n, Nets.CLASSES)};
            } else {
                long k1 = (long) Nets.CONV1_KERNEL * Nets.CONV1_KERNEL;
                long k2 = (long) Nets.CONV2_KERNEL * Nets.CONV2_KERNEL * Nets.CONV1_CHANNELS;
                long p1 = n * Nets.CONV1_OUT * Nets.CONV1_OUT;
                long p2 = n * Nets.CONV2_OUT * Nets.CONV2_OUT;
                prefixA = new INDArray[]{rand(p1, k1), rand(p2, k2)};
                prefixB = new INDArray[]{rand(k1, Nets.CONV1_CHANNELS), rand(k2, Nets.CONV2_CHANNELS)};
                prefixC = new INDArray[]{out(p1, Nets.CONV1_CHANNELS), out(p2, Nets.CONV2_CHANNELS)};
                INDArray dense = out(n, Nets.CNN_DENSE);
                sampleA = new INDArray[]{rand(n, Nets.CNN_FLAT), dense};
                sampleB = new INDArray[]{rand(Nets.CNN_FLAT, Nets.CNN_DENSE), rand(Nets.CNN_DENSE, Nets.CLASSES)};
                sampleC = new INDArray[]{dense, out(n, Nets.CLASSES)};
            }
            run(); // warm-up
        }

        private static INDArray rand(long rows, long cols) {
            return Nd4j.rand(DataType.FLOAT, rows, cols);
        }

        /** Column-major: ND4J's gemm writes it directly (a row-major result costs a temporary and a copy). */
        private static INDArray out(long rows, long cols) {
            return Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'f');
        }

        INDArray run() {
            for (int i = 0; i < prefixA.length; i++) {
                Nd4j.gemm(prefixA[i], prefixB[i], prefixC[i], false, false, 1.0, 0.0);
            }
            for (int t = 0; t < samples; t++) {
                for (int i = 0; i < sampleA.length; i++) {
                    Nd4j.gemm(sampleA[i], sampleB[i], sampleC[i], false, false, 1.0, 0.0);
                }
            }
            return sampleC[sampleC.length - 1];
        }
    }

    @Benchmark
    public INDArray naiveLoop(Model m) {
        INDArray sum = null;
        for (int t = 0; t < m.samples; t++) {
            INDArray out = m.network.output(m.x, true);
            sum = sum == null ? out : sum.addi(out);
        }
        return sum.divi(m.samples);
    }

    @Benchmark
    public INDArray evaluator(Model m) {
        return m.evaluator.predict(m.x).mean();
    }

    @Benchmark
    public INDArray evaluatorNoPrefixReuse(Model m) {
        return m.evaluatorNoReuse.predict(m.x).mean();
    }

    @Benchmark
    public INDArray evaluatorPerPass(Model m) {
        return m.evaluatorPerPass.predict(m.x).mean();
    }

    @Benchmark
    public INDArray gemmLimit(Limit limit) {
        return limit.run();
    }
}
