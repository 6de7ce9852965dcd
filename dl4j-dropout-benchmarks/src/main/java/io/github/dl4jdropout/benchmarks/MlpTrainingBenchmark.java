package io.github.dl4jdropout.benchmarks;

import io.github.dl4jdropout.Dropouts;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
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
 * One training iteration ({@code net.fit(DataSet)}, Adam) of the MLP 784-1024-1024-10 on a fixed random batch of
 * 128, without dropout, with DL4J's {@code Dropout(0.5)} (retain 0.5) and with ours {@code standard(0.5)} on the
 * input of the second and third layers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", BenchmarkSuite.QUIET_LOGS})
public class MlpTrainingBenchmark {

    @Param({"none", "dl4jDropout", "oursStandard"})
    public String dropout;

    private MultiLayerNetwork net;
    private DataSet batch;

    @Setup(Level.Trial)
    public void setUp() {
        switch (dropout) {
            case "none":
                net = Nets.mlp(null);
                break;
            case "dl4jDropout":
                net = Nets.mlp(() -> new Dropout(0.5));
                break;
            case "oursStandard":
                net = Nets.mlp(() -> Dropouts.standard(0.5));
                break;
            default:
                throw new IllegalArgumentException("dropout must be none, dl4jDropout or oursStandard, got " + dropout);
        }
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 128, Nets.MNIST_PIXELS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 128, Nets.CLASSES);
        for (int i = 0; i < 128; i++) {
            y.putScalar(i, i % Nets.CLASSES, 1.0);
        }
        batch = new DataSet(x, y);
    }

    @Benchmark
    public MultiLayerNetwork fit() {
        net.fit(batch);
        return net;
    }
}
