package io.github.dl4jdropout.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.montecarlo.ClassificationMetrics;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.McSampling;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What {@link McSampling#PER_PASS} changes statistically on MNIST: the benchmark MLP (784-1024-1024-10, drop rate 0.5
 * before layers 2 and 3) trained for a few epochs, then the test set evaluated with T Monte Carlo samples under
 * several seeds in both sampling modes and at several evaluation minibatch sizes. Per-example predictive
 * distributions are the same in both modes, so the mean over seeds of a dataset metric should agree; its spread over
 * seeds is what changes, because one sample's masks are shared by the examples of a minibatch.
 *
 * <p>Usage: {@code McSamplingStudy [--epochs E] [--seeds S] [--samples T] [--batches 10000,100]}; defaults 1 epoch,
 * 10 seeds, T = 50, minibatches of 10,000 and 100. Needs MNIST in DL4J's resources directory
 * ({@code ~/.deeplearning4j}). Prints a Markdown table.
 */
public final class McSamplingStudy {

    /** Settings of one study. */
    public record Options(int epochs, int seeds, int samples, int[] batchSizes) {
    }

    /** Metrics of one mode and minibatch size over the seeds. */
    public record Cell(McSampling sampling, int batchSize, double[] accuracy, double[] nll, double[] ece,
                       double secondsPerEvaluation) {
    }

    /** The study's result: the deterministic metrics and one cell per mode and minibatch size. */
    public record Result(double deterministicAccuracy, double deterministicNll, List<Cell> cells) {
    }

    private McSamplingStudy() {
    }

    public static void main(String[] args) throws IOException {
        int epochs = 1;
        int seeds = 10;
        int samples = 50;
        int[] batches = {10_000, 100};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--batches" -> {
                    String[] parts = args[++i].split(",");
                    batches = new int[parts.length];
                    for (int j = 0; j < parts.length; j++) {
                        batches[j] = Integer.parseInt(parts[j].trim());
                    }
                }
                default -> throw new IllegalArgumentException("argument must be --epochs E, --seeds S, --samples T or"
                        + " --batches B1,B2, got " + args[i]);
            }
        }
        System.out.println(table(run(new Options(epochs, seeds, samples, batches), System.out::println)));
    }

    /**
     * Trains the MLP and evaluates the test set.
     *
     * @param progress receives a line per evaluation
     */
    public static Result run(Options options, java.util.function.Consumer<String> progress) throws IOException {
        MultiLayerNetwork net = Nets.mlp(() -> Dropouts.standard(0.5));
        DataSetIterator train = new MnistDataSetIterator(128, true, 12345);
        long start = System.nanoTime();
        for (int e = 0; e < options.epochs(); e++) {
            train.reset();
            net.fit(train);
        }
        progress.accept(String.format(Locale.ROOT, "trained %d epoch(s) in %.0f s", options.epochs(),
                (System.nanoTime() - start) / 1e9));
        DataSet test = new MnistDataSetIterator(10_000, false, 12345).next();
        List<Cell> cells = new ArrayList<>();
        double detAccuracy = Double.NaN;
        double detNll = Double.NaN;
        for (int batchSize : options.batchSizes()) {
            List<DataSet> batches = test.batchBy(batchSize);
            for (McSampling sampling : McSampling.values()) {
                double[] acc = new double[options.seeds()];
                double[] nll = new double[options.seeds()];
                double[] ece = new double[options.seeds()];
                long t0 = System.nanoTime();
                for (int s = 0; s < options.seeds(); s++) {
                    MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(options.samples())
                            .seed(1000 + s).sampling(sampling).build();
                    McReport report = mc.evaluate(new ExistingDataSetIterator(batches));
                    ClassificationMetrics m = report.mc().asClassification();
                    acc[s] = m.accuracy();
                    nll[s] = m.negativeLogLikelihood();
                    ece[s] = m.expectedCalibrationError();
                    ClassificationMetrics d = report.deterministic().asClassification();
                    detAccuracy = d.accuracy();
                    detNll = d.negativeLogLikelihood();
                    progress.accept(String.format(Locale.ROOT, "%s batch %d seed %d: accuracy %.4f, NLL %.5f, ECE"
                            + " %.5f", sampling, batchSize, 1000 + s, acc[s], nll[s], ece[s]));
                }
                cells.add(new Cell(sampling, batchSize, acc, nll, ece,
                        (System.nanoTime() - t0) / 1e9 / options.seeds()));
            }
        }
        return new Result(detAccuracy, detNll, cells);
    }

    /** The result as a Markdown table: mean and standard deviation over seeds, and the ratio of the spreads. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "standard inference: accuracy %.4f, NLL %.5f%n%n",
                r.deterministicAccuracy(), r.deterministicNll()));
        sb.append("| minibatch | sampling | seeds | accuracy mean | accuracy sd | NLL mean | NLL sd | ECE mean | ECE sd"
                + " | s per evaluation |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : r.cells()) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %d | %.5f | %.5f | %.5f | %.5f | %.5f | %.5f | %.1f |%n",
                    c.batchSize(), c.sampling(), c.accuracy().length, mean(c.accuracy()), sd(c.accuracy()),
                    mean(c.nll()), sd(c.nll()), mean(c.ece()), sd(c.ece()), c.secondsPerEvaluation()));
        }
        sb.append("\n| minibatch | sd ratio PER_PASS / PER_EXAMPLE: accuracy | NLL | ECE |\n|---:|---:|---:|---:|\n");
        for (int i = 0; i + 1 < r.cells().size(); i += 2) {
            Cell a = r.cells().get(i);
            Cell b = r.cells().get(i + 1);
            sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f |%n", a.batchSize(),
                    sd(b.accuracy()) / sd(a.accuracy()), sd(b.nll()) / sd(a.nll()), sd(b.ece()) / sd(a.ece())));
        }
        return sb.toString();
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (divided by n - 1). */
    static double sd(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
