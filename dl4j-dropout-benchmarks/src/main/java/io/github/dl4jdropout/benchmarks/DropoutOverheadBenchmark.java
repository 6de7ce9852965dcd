package io.github.dl4jdropout.benchmarks;

import io.github.dl4jdropout.Dropouts;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * Forward plus backward cost of one dropout application, ours against DL4J 1.0.0-M2.1's class on the same input, in
 * the same run.
 *
 * <p>Each operation is what a layer does in one training step: {@code applyDropout(x, result, ...)} then
 * {@code backprop(grad, gradIn, ...)}. DL4J keeps one mask per instance and ours keeps a per-thread stack, so the
 * two calls are always paired (no mask is left behind). The gradient is multiplied into a separate array rather than
 * in place (DL4J layers call {@code backprop(eps, eps)}): the same multiply either way, but in place the gradient
 * would decay to all zeros after a few dozen calls and stop resembling a real gradient.
 *
 * <p>Each operation runs in a layer-input workspace, as DL4J's training does with its default workspace mode, so that
 * the masks of both implementations reuse one block of memory instead of allocating fresh native buffers that only a
 * garbage collection frees (which made single iterations vary by a factor of 4).
 *
 * <p>Drop rate 0.5 everywhere, so DL4J's retain probability is also 0.5. FLOAT arrays filled with uniform random
 * values once per fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", BenchmarkSuite.QUIET_LOGS})
public class DropoutOverheadBenchmark {

    private static final double DROP_RATE = 0.5;
    private static final String INPUT_WORKSPACE = "BENCH_DROPOUT_INPUT";
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT).policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).build();
    /** As in DL4J training (workspaces enabled by default): masks are allocated in the layer-input workspace. */
    private static final LayerWorkspaceMgr TRAINING_WORKSPACES = LayerWorkspaceMgr.builder()
            .with(ArrayType.INPUT, INPUT_WORKSPACE, WORKSPACE).defaultNoWorkspace().build();

    /** Input, output, gradient and gradient-at-input arrays of one shape. */
    abstract static class Arrays {
        INDArray x;
        INDArray result;
        INDArray grad;
        INDArray gradIn;

        void allocate(long... shape) {
            Nd4j.getRandom().setSeed(12345);
            x = Nd4j.rand(DataType.FLOAT, shape);
            grad = Nd4j.rand(DataType.FLOAT, shape);
            result = Nd4j.createUninitialized(DataType.FLOAT, shape);
            gradIn = Nd4j.createUninitialized(DataType.FLOAT, shape);
        }

        long[] nhwc(long[] nchw) {
            return new long[]{nchw[0], nchw[2], nchw[3], nchw[1]};
        }
    }

    /** Dense activations [128, 1024]. */
    @State(Scope.Thread)
    public static class Dense extends Arrays {
        final IDropout ours = Dropouts.standard(DROP_RATE);
        final IDropout dl4j = new Dropout(1.0 - DROP_RATE);

        @Setup(Level.Trial)
        public void setUp() {
            allocate(128, 1024);
        }
    }

    /** Convolutional activations [64, 32, 28, 28] NCHW. */
    @State(Scope.Thread)
    public static class ConvNchw extends Arrays {
        final IDropout ours = Dropouts.spatial(DROP_RATE, CNN2DFormat.NCHW);
        final IDropout dl4jSpatial = new SpatialDropout(1.0 - DROP_RATE);
        final IDropout dl4jElementwise = new Dropout(1.0 - DROP_RATE);

        @Setup(Level.Trial)
        public void setUp() {
            allocate(64, 32, 28, 28);
        }
    }

    /** The same activations as [64, 28, 28, 32] NHWC. */
    @State(Scope.Thread)
    public static class ConvNhwc extends Arrays {
        final IDropout ours = Dropouts.spatial(DROP_RATE, CNN2DFormat.NHWC);

        @Setup(Level.Trial)
        public void setUp() {
            allocate(64, 28, 28, 32);
        }
    }

    /** Sequences [64, 128, 50] NCW. */
    @State(Scope.Thread)
    public static class SeqNcw extends Arrays {
        final IDropout ours = Dropouts.timeShared(DROP_RATE, RNNFormat.NCW);
        final IDropout dl4j = new Dropout(1.0 - DROP_RATE);

        @Setup(Level.Trial)
        public void setUp() {
            allocate(64, 128, 50);
        }
    }

    /** The same sequences as [64, 50, 128] NWC. */
    @State(Scope.Thread)
    public static class SeqNwc extends Arrays {
        final IDropout ours = Dropouts.timeShared(DROP_RATE, RNNFormat.NWC);

        @Setup(Level.Trial)
        public void setUp() {
            allocate(64, 50, 128);
        }
    }

    private static INDArray forwardBackward(IDropout dropout, Arrays a) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, INPUT_WORKSPACE)) {
            dropout.applyDropout(a.x, a.result, 0, 0, TRAINING_WORKSPACES);
            return dropout.backprop(a.grad, a.gradIn, 0, 0);
        }
    }

    @Benchmark
    public INDArray standardOurs(Dense s) {
        return forwardBackward(s.ours, s);
    }

    @Benchmark
    public INDArray standardDl4jDropout(Dense s) {
        return forwardBackward(s.dl4j, s);
    }

    @Benchmark
    public INDArray spatialNchwOurs(ConvNchw s) {
        return forwardBackward(s.ours, s);
    }

    @Benchmark
    public INDArray spatialNhwcOurs(ConvNhwc s) {
        return forwardBackward(s.ours, s);
    }

    @Benchmark
    public INDArray spatialNchwDl4jSpatialDropout(ConvNchw s) {
        return forwardBackward(s.dl4jSpatial, s);
    }

    @Benchmark
    public INDArray spatialNchwDl4jDropout(ConvNchw s) {
        return forwardBackward(s.dl4jElementwise, s);
    }

    @Benchmark
    public INDArray timeSharedNcwOurs(SeqNcw s) {
        return forwardBackward(s.ours, s);
    }

    @Benchmark
    public INDArray timeSharedNwcOurs(SeqNwc s) {
        return forwardBackward(s.ours, s);
    }

    @Benchmark
    public INDArray timeSharedNcwDl4jDropout(SeqNcw s) {
        return forwardBackward(s.dl4j, s);
    }
}
