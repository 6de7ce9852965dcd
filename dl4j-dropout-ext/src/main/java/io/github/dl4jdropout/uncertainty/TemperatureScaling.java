package io.github.dl4jdropout.uncertainty;

import java.util.Locale;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.PredictionMetrics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks", section 4.2): one scalar
 * {@code T > 0} that divides a classifier's logits, {@code softmax(z / T)}, fitted by minimising the negative
 * log-likelihood (NLL) of a held-out validation set. It changes confidence, never the predicted class of standard
 * inference; {@code T > 1} softens over-confident predictions.
 *
 * <p><b>Standard and Monte Carlo predictions.</b> For standard inference the calibrated prediction is
 * {@code softmax(z / T)} ({@link #fitLogits}, {@link #fit(INDArray, INDArray)}). For Monte Carlo predictions each
 * sample is scaled and the scaled samples are averaged, {@code pbar_T = (1/S) sum_s softmax(z_s / T)} over the S
 * samples, and T minimises the NLL of that average ({@link #fitMonteCarlo(McPrediction, INDArray)},
 * {@link #fitSamples}); scaling the averaged probabilities instead would not be the ensemble of scaled members. The
 * evaluator keeps probabilities, not logits: this class scales <b>log-probabilities</b> {@code log p}, which gives
 * exactly the same result, because {@code log p = z - logsumexp(z)} differs from the logits by a per-row constant
 * and softmax ignores such constants. The one difference: a probability that underflowed to 0 (a float softmax of
 * logits more than about 100 apart) is read as {@link PredictionMetrics#PROBABILITY_FLOOR}, so its scaled
 * log-probability is capped at {@code log(1e-15) / T}; with logits ({@link #fitLogits}) nothing is capped. Monte
 * Carlo scaling needs the samples: build the evaluator with {@code keepSamples(true)}.
 *
 * <p><b>Fitting.</b> The NLL is minimised over {@code u = log T} in {@code [log }{@value #MIN_TEMPERATURE}{@code ,
 * log }{@value #MAX_TEMPERATURE}{@code ]}: a scan of {@value #GRID_POINTS} log-spaced points picks the best grid
 * point, then golden-section search on its two neighbouring intervals refines it to {@code |du| < 1e-10}. For
 * standard inference the NLL is convex in {@code 1/T} (log-sum-exp is convex), so this finds the global minimum; for
 * Monte Carlo averages convexity is not guaranteed and the scan guards against a local minimum between grid points
 * only as finely as the grid. A validation set the model already fits perfectly drives T to the lower bound (the
 * NLL keeps falling as T shrinks): the bound is then returned, see {@link #atBound()}.
 *
 * <p>Instances are immutable; {@link #temperature()} and the NLL before and after are kept for reporting.
 *
 * @since 0.3.0
 */
public final class TemperatureScaling {

    /** Smallest temperature considered: 0.01. */
    public static final double MIN_TEMPERATURE = 0.01;

    /** Largest temperature considered: 100. */
    public static final double MAX_TEMPERATURE = 100.0;

    /** Number of log-spaced temperatures scanned before the golden-section search: 41 (10 per decade). */
    public static final int GRID_POINTS = 41;

    private static final double TOLERANCE = 1e-10;
    private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

    private final double temperature;
    private final boolean monteCarlo;
    private final double nllBefore;
    private final double nllAfter;
    private final int validationSize;

    private TemperatureScaling(double temperature, boolean monteCarlo, double nllBefore, double nllAfter,
            int validationSize) {
        this.temperature = temperature;
        this.monteCarlo = monteCarlo;
        this.nllBefore = nllBefore;
        this.nllAfter = nllAfter;
        this.validationSize = validationSize;
    }

    /**
     * Fits T to the logits of standard inference (the output layer's pre-softmax activations, for example from
     * {@code net.feedForward(x, false)} with the output layer's activation set to identity).
     *
     * @param logits {@code [n, k]} logits of the validation set, finite
     * @param labels {@code [n, k]} one-hot labels
     * @return the fitted scaling
     * @throws IllegalArgumentException if an argument is null, the shapes differ from {@code [n, k]} with
     *                                  {@code k >= 2}, or a logit is not finite
     */
    public static TemperatureScaling fitLogits(INDArray logits, INDArray labels) {
        Checks.notNull("logits", logits, "an [n, k] array of logits");
        if (logits.rank() != 2 || logits.size(0) == 0 || logits.size(1) < 2) {
            throw new IllegalArgumentException("logits must be an [n, k] array with n >= 1 and k >= 2, got shape "
                    + java.util.Arrays.toString(logits.shape()));
        }
        double[][] z = logits.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < z.length; i++) {
            for (double v : z[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("logits row " + i + " must be finite, got " + v);
                }
            }
        }
        int[] y = Inputs.classes("labels", labels, z.length, z[0].length);
        return fit(new double[][][] {z}, y, false);
    }

    /**
     * Fits T to the class probabilities of standard inference (for example {@link McPrediction#deterministic()} or
     * {@code net.output(x)}), scaling their logarithms (see the class documentation).
     *
     * @param probabilities {@code [n, k]} probabilities of the validation set
     * @param labels        {@code [n, k]} one-hot labels
     * @return the fitted scaling
     * @throws IllegalArgumentException if an argument is null, or not {@code [n, k]} distributions and labels
     */
    public static TemperatureScaling fit(INDArray probabilities, INDArray labels) {
        double[][] p = Inputs.probabilities("probabilities", probabilities);
        int[] y = Inputs.classes("labels", labels, p.length, p[0].length);
        return fit(new double[][][] {logOf(p)}, y, false);
    }

    /**
     * Fits T to a Monte Carlo prediction of the validation set: each sample's log-probabilities are divided by T and
     * the scaled samples averaged.
     *
     * @param validation an {@code [n, k]} classification prediction with samples kept
     * @param labels     {@code [n, k]} one-hot labels
     * @return the fitted scaling
     * @throws IllegalArgumentException if an argument is null, the prediction is not an {@code [n, k]}
     *                                  classification, or the labels do not match it
     * @throws IllegalStateException    if the prediction has no samples (build the evaluator with
     *                                  {@code keepSamples(true)})
     */
    public static TemperatureScaling fitMonteCarlo(McPrediction validation, INDArray labels) {
        Inputs.classification("validation", validation);
        return fitSamples(Inputs.keptSamples("fitMonteCarlo", validation), labels);
    }

    /**
     * Fits T to raw Monte Carlo samples ({@link McPrediction#samples()}), as {@link #fitMonteCarlo}.
     *
     * @param samples {@code [S, n, k]} per-sample class probabilities
     * @param labels  {@code [n, k]} one-hot labels
     * @return the fitted scaling
     * @throws IllegalArgumentException if an argument is null or the shapes do not match
     */
    public static TemperatureScaling fitSamples(INDArray samples, INDArray labels) {
        double[][][] s = Inputs.samples("samples", samples);
        int[] y = Inputs.classes("labels", labels, s[0].length, s[0][0].length);
        double[][][] logs = new double[s.length][][];
        for (int t = 0; t < s.length; t++) {
            logs[t] = logOf(s[t]);
        }
        return fit(logs, y, true);
    }

    private static double[][] logOf(double[][] p) {
        double[][] out = new double[p.length][p[0].length];
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[i].length; j++) {
                out[i][j] = Math.log(Math.max(p[i][j], PredictionMetrics.PROBABILITY_FLOOR));
            }
        }
        return out;
    }

    private static TemperatureScaling fit(double[][][] z, int[] y, boolean monteCarlo) {
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        double step = (hi - lo) / (GRID_POINTS - 1);
        int best = 0;
        double bestNll = Double.POSITIVE_INFINITY;
        for (int g = 0; g < GRID_POINTS; g++) {
            double nll = nll(z, y, Math.exp(-(lo + g * step)));
            if (nll < bestNll) {
                bestNll = nll;
                best = g;
            }
        }
        double a = lo + Math.max(0, best - 1) * step;
        double b = lo + Math.min(GRID_POINTS - 1, best + 1) * step;
        double c = b - GOLDEN * (b - a);
        double d = a + GOLDEN * (b - a);
        double fc = nll(z, y, Math.exp(-c));
        double fd = nll(z, y, Math.exp(-d));
        while (b - a > TOLERANCE) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - GOLDEN * (b - a);
                fc = nll(z, y, Math.exp(-c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + GOLDEN * (b - a);
                fd = nll(z, y, Math.exp(-d));
            }
        }
        double u = (a + b) / 2;
        double fu = nll(z, y, Math.exp(-u));
        // The grid point itself may be better at a bound (monotone NLL): keep whichever is lower.
        if (bestNll < fu) {
            u = lo + best * step;
            fu = bestNll;
        }
        return new TemperatureScaling(Math.exp(u), monteCarlo, nll(z, y, 1.0), fu, y.length);
    }

    /** Mean NLL of the labels under the average over samples of {@code softmax(beta * z_s)}. */
    private static double nll(double[][][] z, int[] y, double beta) {
        int s = z.length;
        double total = 0;
        double[] logProb = new double[s];
        for (int i = 0; i < y.length; i++) {
            for (int t = 0; t < s; t++) {
                double[] row = z[t][i];
                double max = Double.NEGATIVE_INFINITY;
                for (double v : row) {
                    max = Math.max(max, beta * v);
                }
                double sum = 0;
                for (double v : row) {
                    sum += Math.exp(beta * v - max);
                }
                logProb[t] = beta * row[y[i]] - max - Math.log(sum);
            }
            total -= logMeanExp(logProb);
        }
        return total / y.length;
    }

    private static double logMeanExp(double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : a) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum / a.length);
    }

    /** The fitted temperature T, in {@code [MIN_TEMPERATURE, MAX_TEMPERATURE]}. */
    public double temperature() {
        return temperature;
    }

    /** True if fitted on Monte Carlo samples (then {@link #applyMonteCarlo} is the matching way to apply it). */
    public boolean isMonteCarlo() {
        return monteCarlo;
    }

    /** True if the fitted T is within 1e-6 (relative) of a bound: the optimum may lie beyond it. */
    public boolean atBound() {
        return Math.abs(temperature / MIN_TEMPERATURE - 1) < 1e-6 || Math.abs(temperature / MAX_TEMPERATURE - 1) < 1e-6;
    }

    /** Mean validation NLL in nats at T = 1 (uncalibrated). */
    public double nllBefore() {
        return nllBefore;
    }

    /** Mean validation NLL in nats at the fitted T. */
    public double nllAfter() {
        return nllAfter;
    }

    /** Number of validation predictions T was fitted on. */
    public int validationSize() {
        return validationSize;
    }

    /**
     * Calibrated probabilities {@code softmax(log p / T)} of standard inference.
     *
     * @param probabilities {@code [n, k]} class probabilities
     * @return {@code [n, k]} calibrated probabilities, double
     * @throws IllegalArgumentException if {@code probabilities} is null or not {@code [n, k]} distributions
     */
    public INDArray apply(INDArray probabilities) {
        return Nd4j.createFromArray(scaled(logOf(Inputs.probabilities("probabilities", probabilities))));
    }

    /**
     * Calibrated probabilities {@code softmax(z / T)} from logits.
     *
     * @param logits {@code [n, k]} logits
     * @return {@code [n, k]} calibrated probabilities, double
     * @throws IllegalArgumentException if {@code logits} is null or not {@code [n, k]}
     */
    public INDArray applyLogits(INDArray logits) {
        Checks.notNull("logits", logits, "an [n, k] array of logits");
        if (logits.rank() != 2 || logits.size(0) == 0 || logits.size(1) < 2) {
            throw new IllegalArgumentException("logits must be an [n, k] array with n >= 1 and k >= 2, got shape "
                    + java.util.Arrays.toString(logits.shape()));
        }
        return Nd4j.createFromArray(scaled(logits.castTo(DataType.DOUBLE).toDoubleMatrix()));
    }

    /**
     * Calibrated Monte Carlo mean {@code (1/S) sum_s softmax(log p_s / T)}.
     *
     * @param prediction an {@code [n, k]} classification prediction with samples kept
     * @return {@code [n, k]} calibrated mean probabilities, double
     * @throws IllegalArgumentException if {@code prediction} is null or not an {@code [n, k]} classification
     * @throws IllegalStateException    if the prediction has no samples
     */
    public INDArray applyMonteCarlo(McPrediction prediction) {
        Inputs.classification("prediction", prediction);
        return applySamples(Inputs.keptSamples("applyMonteCarlo", prediction));
    }

    /**
     * Calibrated samples: each of {@code [S, n, k]} samples scaled, {@code softmax(log p_s / T)}. Average them over
     * the first axis for the calibrated mean, or score them ({@link UncertaintyScore#ofSamples}) for calibrated
     * uncertainty.
     *
     * @param samples {@code [S, n, k]} per-sample class probabilities
     * @return {@code [S, n, k]} scaled samples, double
     * @throws IllegalArgumentException if {@code samples} is null or not {@code [S, n, k]} distributions
     */
    public INDArray scaleSamples(INDArray samples) {
        double[][][] s = Inputs.samples("samples", samples);
        double[][][] out = new double[s.length][][];
        for (int t = 0; t < s.length; t++) {
            out[t] = scaled(logOf(s[t]));
        }
        return Nd4j.createFromArray(out);
    }

    /**
     * Calibrated Monte Carlo mean of raw samples, {@code (1/S) sum_s softmax(log p_s / T)}.
     *
     * @param samples {@code [S, n, k]} per-sample class probabilities
     * @return {@code [n, k]} calibrated mean probabilities, double
     * @throws IllegalArgumentException if {@code samples} is null or not {@code [S, n, k]} distributions
     */
    public INDArray applySamples(INDArray samples) {
        double[][][] s = Inputs.samples("samples", samples);
        double[][][] scaledSamples = new double[s.length][][];
        for (int t = 0; t < s.length; t++) {
            scaledSamples[t] = scaled(logOf(s[t]));
        }
        return Nd4j.createFromArray(UncertaintyScore.mean(scaledSamples));
    }

    private double[][] scaled(double[][] z) {
        double beta = 1.0 / temperature;
        double[][] out = new double[z.length][z[0].length];
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, beta * v);
            }
            double sum = 0;
            for (int j = 0; j < z[i].length; j++) {
                out[i][j] = Math.exp(beta * z[i][j] - max);
                sum += out[i][j];
            }
            for (int j = 0; j < z[i].length; j++) {
                out[i][j] /= sum;
            }
        }
        return out;
    }

    /** Temperature, kind and validation NLL before and after. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TemperatureScaling{T=%.6f, %s, n=%d, nll %.6f -> %.6f%s}", temperature,
                monteCarlo ? "Monte Carlo" : "standard", validationSize, nllBefore, nllAfter,
                atBound() ? ", at bound" : "");
    }
}
