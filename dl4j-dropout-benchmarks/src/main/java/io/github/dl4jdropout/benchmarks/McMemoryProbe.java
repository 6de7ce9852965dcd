package io.github.dl4jdropout.benchmarks;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Peak memory of one Monte Carlo prediction, meant to run in a fresh JVM per setting (the suite starts one per T).
 *
 * <p>Arguments: {@code samples examples memoryBudgetBytes}. Builds the MLP 784-1024-1024-10 of the speed benchmark,
 * predicts once on {@code examples} random inputs, and prints one line of {@code key=value} pairs:
 * {@code vmHwmBytes} (peak resident set of the process from {@code /proc/self/status}, heap and off-heap together),
 * {@code heapPeakBytes} (sum of the peak usage of the JVM's heap pools), {@code offHeapPeakBytes} (peak, sampled every
 * 2 ms, of the resident set minus the used heap: ND4J's native buffers plus the JVM's own native memory, an upper bound
 * on the native part), and
 * {@code seconds}. ND4J 1.0.0-M2.1's native backend registers its buffers neither with JavaCPP's
 * {@code Pointer.totalBytes()} nor with its {@code AllocationsTracker} (both stay near 0, checked), so the resident
 * set is the only faithful off-heap measure.
 */
public final class McMemoryProbe {

    private McMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("arguments must be: samples examples memoryBudgetBytes, got "
                    + args.length + " arguments");
        }
        int samples = Integer.parseInt(args[0]);
        int examples = Integer.parseInt(args[1]);
        long budget = Long.parseLong(args[2]);

        MultiLayerNetwork net = Nets.mlp(() -> Dropouts.standard(0.5));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, examples, Nets.MNIST_PIXELS);
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(samples).memoryBudgetBytes(budget).build();

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong offHeapPeak = new AtomicLong();
        Runnable sample = () -> offHeapPeak.accumulateAndGet(
                Pointer.physicalBytes() - memory.getHeapMemoryUsage().getUsed(), Math::max);
        sample.run();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample.run();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "off-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        long start = System.nanoTime();
        INDArray mean = mc.predict(x).mean();
        double seconds = (System.nanoTime() - start) / 1e9;
        sample.run();
        sampler.interrupt();
        sampler.join();

        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("samples=%d examples=%d budget=%d vmHwmBytes=%d heapPeakBytes=%d offHeapPeakBytes=%d"
                        + " seconds=%.2f checksum=%.6f%n", samples, examples, budget, vmHwmBytes(), heapPeak,
                offHeapPeak.get(), seconds, mean.sumNumber().doubleValue());
    }

    /** Peak resident set size, from the {@code VmHWM} line of {@code /proc/self/status} (Linux only). */
    private static long vmHwmBytes() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.trim().split("\\s+");
                return Long.parseLong(parts[1]) * 1024L;
            }
        }
        throw new IllegalStateException("VmHWM not found in /proc/self/status (peak RSS needs Linux)");
    }
}
