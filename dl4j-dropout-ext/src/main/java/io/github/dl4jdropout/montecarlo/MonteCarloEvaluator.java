package io.github.dl4jdropout.montecarlo;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.ForwardOnly;
import io.github.dl4jdropout.internal.facts.NetworkFacts;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Monte Carlo dropout: predictions and evaluation from the average of T stochastic forward passes of a trained
 * network, with the uncertainty their spread reveals.
 *
 * <p><b>What.</b> Dropout trains an ensemble of exponentially many weight-sharing sub-networks. Standard inference
 * approximates the ensemble's average by scaling the weights; averaging T passes with dropout on (Monte Carlo model
 * averaging, Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", section
 * 7.5) estimates it directly, and reading dropout as approximate Bayesian inference (Gal &amp; Ghahramani 2016,
 * "Dropout as a Bayesian Approximation") turns the spread between passes into model uncertainty: per-output
 * variance, predictive entropy and mutual information (BALD) for classification and, per label, for multi-label
 * outputs, and the test log-likelihood of a regression model given its observation precision.
 *
 * <p><b>Semantics.</b> Every pass samples every stochastic regularizer the model applies in training: any
 * {@code IDropout} (DL4J's and this library's), {@code DropoutLayer}, weight noise ({@code DropConnect},
 * {@code WeightNoise}, recurrent-weight dropout) and RReLU activations, each exactly as DL4J's training forward pass
 * samples it (same array shapes, schedules read at the layer's current iteration and epoch). Everything else runs
 * in inference mode: BatchNormalization normalizes with its running statistics, so an example's prediction never
 * depends on the other examples in its batch (unlike {@code net.output(x, true)}). Frozen layers
 * ({@code FrozenLayer}, {@code FrozenLayerWithBackprop}) never sample, as in DL4J training. The model is left as it
 * was: parameters, BatchNorm statistics, iteration and epoch counters, RNN state, stored layer inputs and masks.
 *
 * <p><b>Speed.</b> Layers (graph vertices) that no stochastic regularizer reaches are computed once per minibatch;
 * only the stochastic remainder runs T times, on the minibatch replicated along dimension 0 in chunks sized by a
 * memory budget. Layers with weight noise draw one noise sample per pass for the whole minibatch, so a model with
 * weight noise runs one sample per pass. Statistics are accumulated in streaming fashion, in double; memory does not
 * grow with T unless raw samples are kept. Every pass runs in ND4J workspaces that are reused from chunk to chunk and
 * batch to batch, so the native memory of a pass is allocated once, not once per sample; like DL4J's networks, the
 * calling thread keeps these workspaces (about the deterministic pass of one minibatch plus the memory budget) for
 * the next call, and {@code Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread()} releases them.
 *
 * <p><b>Sampling mode.</b> By default ({@link McSampling#PER_EXAMPLE}) every example draws its own masks in every
 * sample, as DL4J's training pass does. {@link McSampling#PER_PASS} ({@link Builder#sampling(McSampling)}) draws one
 * sub-network per sample for the whole minibatch, so dense layers with element-wise input dropout multiply only the
 * kept rows of their weights: the same per-example predictive distributions at a fraction of the cost, with metrics
 * averaged over a dataset that scatter more from seed to seed.
 *
 * <p><b>Randomness.</b> Each minibatch is sampled from ND4J's random generator of the calling thread, seeded from
 * the evaluator's seed and the minibatch's content; the generator's previous state is restored afterwards. The same
 * seed and settings give identical results run to run, a minibatch gets the same samples wherever it is evaluated,
 * and reports of disjoint parts of a dataset {@link McReport#merge merge} into exactly the report of the whole.
 *
 * <p><b>Threads.</b> An evaluator drives the model's layers directly; calls lock the model (as DL4J's own output
 * methods do), so concurrent calls on one model run one after the other. For parallel evaluation give each thread
 * its own copy of the model ({@code net.clone()}) and merge the reports.
 *
 * <pre>{@code
 * MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(50).seed(42).build();
 * McPrediction p = mc.predict(features);
 * INDArray mean = p.mean();
 * INDArray epistemic = p.mutualInformation();
 * McReport report = mc.evaluate(testIterator);
 * System.out.println(report);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class MonteCarloEvaluator {

    /**
     * Default number of stochastic passes T: 50, where Srivastava et al. (2014, figure 11) found Monte Carlo
     * averaging to match weight scaling on MNIST.
     */
    public static final int DEFAULT_SAMPLES = 50;

    /** Default seed: 42. */
    public static final long DEFAULT_SEED = 42L;

    /**
     * Default memory budget for one chunk of replicated samples: 256 MiB, estimated from the inputs plus outputs of
     * the layers in the stochastic part of the model, per example, times a safety factor of
     * {@value #MEMORY_SAFETY_FACTOR}.
     */
    public static final long DEFAULT_MEMORY_BUDGET_BYTES = 256L * 1024 * 1024;

    /** Default number of equal-width confidence bins of the expected calibration error: 15 (Guo et al. 2017). */
    public static final int DEFAULT_CALIBRATION_BINS = 15;

    /**
     * Default target scale: 1, regression metrics in the units of the labels.
     *
     * @since 0.2.0
     */
    public static final double DEFAULT_TARGET_SCALE = 1.0;

    /**
     * Tolerance of the check that {@link McTask#CLASSIFICATION} outputs and labels are distributions: each row must
     * sum to 1 within 0.001 and have no value below -0.001. Loose enough for a float softmax over many thousands of
     * classes (rounding error about {@code k * 6e-8}), tight enough to catch sigmoid outputs and multi-hot labels.
     *
     * @since 0.2.0
     */
    public static final double DISTRIBUTION_TOLERANCE = 1e-3;

    /**
     * Memory per replicated example is estimated as this many times the sum of the inputs and outputs of the layers
     * that run in every pass: it covers the dropped copy of each input and its mask.
     */
    public static final int MEMORY_SAFETY_FACTOR = 3;

    private static final String FEATURES = "a minibatch INDArray of rank >= 2";

    private final Model model;
    private final ForwardEngine engine;
    private final FeatureMasks featureMasks;
    private final int labelIndex;
    private final int samples;
    private final long seed;
    private final long memoryBudgetBytes;
    private final boolean reusePrefix;
    private final boolean keepSamples;
    private final int calibrationBins;
    private final McTask task;
    private final OptionalDouble observationPrecision;
    private final double targetScale;
    private final McProgressListener progress;
    private final OptionalDouble stopTolerance;
    private final int checkEvery;
    private final McSampling sampling;

    private MonteCarloEvaluator(Builder b, ForwardEngine engine, FeatureMasks featureMasks, int labelIndex,
            McTask task) {
        this.model = b.model;
        this.engine = engine;
        this.featureMasks = featureMasks;
        this.labelIndex = labelIndex;
        this.samples = b.samples;
        this.seed = b.seed;
        this.memoryBudgetBytes = b.memoryBudgetBytes;
        this.reusePrefix = b.reusePrefix;
        this.keepSamples = b.keepSamples;
        this.calibrationBins = b.calibrationBins;
        this.task = task;
        this.observationPrecision = b.observationPrecision;
        this.targetScale = b.targetScale;
        this.progress = b.progress;
        this.stopTolerance = b.stopTolerance;
        this.checkEvery = b.checkEvery;
        this.sampling = b.sampling;
    }

    /**
     * Starts configuring an evaluator for a network.
     *
     * @param net an initialized network with at least one stochastic regularizer
     * @return a builder with the documented defaults
     * @throws IllegalArgumentException if {@code net} is null
     */
    public static Builder builder(MultiLayerNetwork net) {
        return new Builder(Checks.notNull("net", net, "an initialized MultiLayerNetwork"));
    }

    /**
     * Starts configuring an evaluator for a computation graph (one of its outputs, see
     * {@link Builder#output(String)}).
     *
     * @param graph an initialized graph with at least one stochastic regularizer
     * @return a builder with the documented defaults
     * @throws IllegalArgumentException if {@code graph} is null
     */
    public static Builder builder(ComputationGraph graph) {
        return new Builder(Checks.notNull("graph", graph, "an initialized ComputationGraph"));
    }

    /**
     * Monte Carlo prediction for a minibatch of a single-input model without feature mask.
     *
     * @param features the input, as for {@code output(features)}
     * @return mean, variance and uncertainty of {@link #samples()} stochastic passes
     * @throws IllegalArgumentException if {@code features} is null or empty, or the model has more than one input
     * @throws IllegalStateException    if the outputs do not fit the {@linkplain #task() task}: rows that are not
     *                                  distributions for {@link McTask#CLASSIFICATION} (within
     *                                  {@link #DISTRIBUTION_TOLERANCE}), values outside [0, 1] for
     *                                  {@link McTask#MULTI_LABEL}
     */
    public McPrediction predict(INDArray features) {
        return predict(new INDArray[] {Checks.notNull("features", features, FEATURES)}, null);
    }

    /**
     * Monte Carlo prediction for a minibatch of a single-input model with a feature mask.
     *
     * @param features     the input
     * @param featuresMask the feature mask, or null for none: {@code [n, t]} for a sequence input of t steps (padded
     *                     sequences), {@code [n, 1]} for a feed-forward input, a broadcastable array of the input's
     *                     rank for a convolutional input
     * @return mean, variance and uncertainty of {@link #samples()} stochastic passes
     * @throws IllegalArgumentException if {@code features} is null or empty, the model has more than one input, or
     *                                  {@code featuresMask} does not have one of the shapes above (the message
     *                                  names the shape received and the shapes accepted)
     * @throws IllegalStateException    if the outputs do not fit the {@linkplain #task() task}: rows that are not
     *                                  distributions for {@link McTask#CLASSIFICATION} (within
     *                                  {@link #DISTRIBUTION_TOLERANCE}), values outside [0, 1] for
     *                                  {@link McTask#MULTI_LABEL}
     */
    public McPrediction predict(INDArray features, INDArray featuresMask) {
        return predict(new INDArray[] {Checks.notNull("features", features, FEATURES)},
                featuresMask == null ? null : new INDArray[] {featuresMask});
    }

    /**
     * Monte Carlo prediction for a minibatch of a model with any number of inputs.
     *
     * @param features     one array per model input, all with the same minibatch size
     * @param featureMasks one mask per input (entries may be null), or null for none; shapes as for
     *                     {@link #predict(INDArray, INDArray)}
     * @return mean, variance and uncertainty of {@link #samples()} stochastic passes
     * @throws IllegalArgumentException if {@code features} or one of its entries is null, the number of arrays
     *                                  does not match the model's inputs, an array is empty, minibatch sizes
     *                                  differ, or a mask does not fit its input
     * @throws IllegalStateException    if the outputs do not fit the {@linkplain #task() task}: rows that are not
     *                                  distributions for {@link McTask#CLASSIFICATION} (within
     *                                  {@link #DISTRIBUTION_TOLERANCE}), values outside [0, 1] for
     *                                  {@link McTask#MULTI_LABEL}
     */
    public McPrediction predict(INDArray[] features, INDArray[] featureMasks) {
        return withModelState(() -> {
            BatchRun run = runBatch(features, featureMasks, false, null, null);
            return run.accumulator.toPrediction(run.batch.deterministicOutput());
        });
    }

    /**
     * Evaluates standard and Monte Carlo inference on every minibatch of an iterator. Resets the iterator first if
     * it is exhausted and supports reset, like DL4J's {@code evaluate}.
     *
     * @param iterator minibatches with labels shaped like the model output (and optional feature and label masks;
     *                 masked time steps are not scored): distributions for classification (one-hot or soft), values
     *                 in [0, 1] for multi-label, real values for regression
     * @return both inferences' metrics side by side
     * @throws IllegalArgumentException if the iterator is empty, every prediction is masked, labels do not have the
     *                                  model output's shape or do not fit the task (checked on scored rows before
     *                                  sampling), a label mask does not have one value per prediction, a feature
     *                                  mask does not fit its input, or {@code iterator} is null
     * @throws IllegalStateException    if the outputs do not fit the {@linkplain #task() task}: rows that are not
     *                                  distributions for {@link McTask#CLASSIFICATION} (within
     *                                  {@link #DISTRIBUTION_TOLERANCE}), values outside [0, 1] for
     *                                  {@link McTask#MULTI_LABEL}
     */
    public McReport evaluate(DataSetIterator iterator) {
        Checks.notNull("iterator", iterator, "a DataSetIterator with labels");
        if (iterator.resetSupported() && !iterator.hasNext()) {
            iterator.reset();
        }
        return withModelState(() -> {
            Scores scores = new Scores();
            while (iterator.hasNext()) {
                DataSet ds = iterator.next();
                INDArray fm = ds.getFeaturesMaskArray();
                scores.add(runBatch(new INDArray[] {ds.getFeatures()}, fm == null ? null : new INDArray[] {fm},
                        true, ds.getLabels(), ds.getLabelsMaskArray()));
            }
            return scores.report();
        });
    }

    /**
     * Evaluates standard and Monte Carlo inference on every minibatch of a multi-input iterator, scoring the
     * evaluated output (for graphs, the one chosen with {@link Builder#output(String)}) against the labels at the
     * same position. Resets the iterator first if it is exhausted and supports reset.
     *
     * @param iterator minibatches with one features array per model input and labels per model output (as for
     *                 {@link #evaluate(DataSetIterator)})
     * @return both inferences' metrics side by side
     * @throws IllegalArgumentException if the iterator is empty, every prediction is masked, the number of arrays
     *                                  does not match the model, labels do not have the output's shape or do not
     *                                  fit the task, a label mask does not have one value per prediction, a feature
     *                                  mask does not fit its input, or {@code iterator} is null
     * @throws IllegalStateException    if the outputs do not fit the {@linkplain #task() task}: rows that are not
     *                                  distributions for {@link McTask#CLASSIFICATION} (within
     *                                  {@link #DISTRIBUTION_TOLERANCE}), values outside [0, 1] for
     *                                  {@link McTask#MULTI_LABEL}
     */
    public McReport evaluate(MultiDataSetIterator iterator) {
        Checks.notNull("iterator", iterator, "a MultiDataSetIterator with labels");
        if (iterator.resetSupported() && !iterator.hasNext()) {
            iterator.reset();
        }
        return withModelState(() -> {
            Scores scores = new Scores();
            while (iterator.hasNext()) {
                MultiDataSet ds = iterator.next();
                INDArray[] labels = ds.getLabels();
                if (labels == null || labels.length <= labelIndex) {
                    throw new IllegalArgumentException("labels must hold an array for output " + labelIndex
                            + ", got " + (labels == null ? "none" : labels.length + " label arrays"));
                }
                INDArray[] labelMasks = ds.getLabelsMaskArrays();
                scores.add(runBatch(ds.getFeatures(), ds.getFeaturesMaskArrays(), true, labels[labelIndex],
                        labelMasks == null ? null : labelMasks[labelIndex]));
            }
            return scores.report();
        });
    }

    /** Number of stochastic passes per example, T. */
    public int samples() {
        return samples;
    }

    /** The seed the per-minibatch seeds are derived from. */
    public long seed() {
        return seed;
    }

    /** Memory budget in bytes for one chunk of replicated samples. */
    public long memoryBudgetBytes() {
        return memoryBudgetBytes;
    }

    /** True if the deterministic part of the model is computed once per minibatch and reused. */
    public boolean reusePrefix() {
        return reusePrefix;
    }

    /** True if predictions keep the raw samples. */
    public boolean keepSamples() {
        return keepSamples;
    }

    /** Number of confidence bins of the expected calibration error. */
    public int calibrationBins() {
        return calibrationBins;
    }

    /** How the output is interpreted. */
    public McTask task() {
        return task;
    }

    /**
     * The observation precision tau of the regression likelihoods, in the units of the scaled targets; empty if
     * none was set.
     *
     * @since 0.2.0
     */
    public OptionalDouble observationPrecision() {
        return observationPrecision;
    }

    /**
     * The observation noise variance {@code 1 / tau}, the same setting as {@link #observationPrecision()}; empty if
     * none was set.
     *
     * @since 0.2.0 (returned a {@code double}, 0 meaning none, in 0.1.0)
     */
    public OptionalDouble observationNoiseVariance() {
        return observationPrecision.isPresent() ? OptionalDouble.of(1.0 / observationPrecision.getAsDouble())
                : OptionalDouble.empty();
    }

    /**
     * The factor labels and outputs are multiplied by before regression metrics are computed.
     *
     * @since 0.2.0
     */
    public double targetScale() {
        return targetScale;
    }

    /**
     * The tolerance of the adaptive sample count of {@link #predict(INDArray)}, empty if off (see
     * {@link Builder#stopWhenStable(double, int)}).
     *
     * @since 0.3.0
     */
    public OptionalDouble stopTolerance() {
        return stopTolerance;
    }

    /**
     * Samples between the checks of the adaptive sample count; 0 if it is off.
     *
     * @since 0.3.0
     */
    public int checkEvery() {
        return checkEvery;
    }

    /** Names of the layers (or graph vertices) that sample in every pass. */
    public String stochasticLayers() {
        return engine.stochasticLayerNames();
    }

    /**
     * How masks are drawn across the examples of a minibatch (see {@link Builder#sampling(McSampling)}).
     *
     * @since 0.4.0
     */
    public McSampling sampling() {
        return sampling;
    }

    /**
     * Names of the layers (or graph vertices) that draw one mask per sample for the whole minibatch and multiply
     * only the kept rows of their weights: with {@link McSampling#PER_PASS}, the stochastic {@code DenseLayer} and
     * {@code OutputLayer}s whose only regularizer is element-wise input dropout; empty with
     * {@link McSampling#PER_EXAMPLE}. The other stochastic layers ({@link #stochasticLayers()}) draw per-example
     * masks.
     *
     * @since 0.4.0
     */
    public String thinnedLayers() {
        return engine.thinnedLayerNames();
    }

    // ---------------------------------------------------------------------------------------------------------

    private interface Work<T> {
        T run();
    }

    private <T> T withModelState(Work<T> work) {
        synchronized (model) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                Random rng = Nd4j.getRandom();
                long rootState = rng.rootState();
                long nodeState = rng.nodeState();
                ForwardEngine.StateSnapshot snapshot = engine.snapshot();
                try {
                    return work.run();
                } finally {
                    snapshot.restore();
                    rng.setStates(rootState, nodeState);
                }
            }
        }
    }

    /** One sampled minibatch; for an evaluation also its labels in rows layout and the row weights. */
    private static final class BatchRun {
        private final PreparedBatch batch;
        private final SampleAccumulator accumulator;
        private final INDArray labelRows;
        private final INDArray weights;

        private BatchRun(PreparedBatch batch, SampleAccumulator accumulator, INDArray labelRows, INDArray weights) {
            this.batch = batch;
            this.accumulator = accumulator;
            this.labelRows = labelRows;
            this.weights = weights;
        }
    }

    /**
     * Runs the deterministic pass, checks the outputs (and labels, when scoring) against the task, then samples.
     *
     * @param scoring   true for an evaluation: the labels (and mask) are checked and kept
     * @param labels    the labels of an evaluation
     * @param labelMask null for none
     */
    private BatchRun runBatch(INDArray[] features, INDArray[] featureMasks, boolean scoring, INDArray labels,
            INDArray labelMask) {
        validateInputs(features, featureMasks);
        Nd4j.getRandom().setSeed(BatchSeeds.derive(seed, features, featureMasks));
        // Every array of the passes lives in workspaces reused from batch to batch and chunk to chunk (see
        // McWorkspaces); only the deterministic output and the accumulated statistics are detached.
        try (MemoryWorkspace batchScope = McWorkspaces.enterBatch()) {
            PreparedBatch batch = engine.prepare(features, featureMasks);
            INDArray deterministic = batch.deterministicOutput();
            OutputLayout layout = OutputLayout.of(deterministic.rank(), engine.outputLayerConf());
            SampleAccumulator acc;
            INDArray labelRows = null;
            INDArray weights = null;
            // Outputs and labels are checked before the T passes; what outlives the batch is detached.
            try (MemoryWorkspace detached = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                acc = new SampleAccumulator(layout, task, deterministic, keepSamples);
                TaskChecks.checkOutputs(task, acc.deterministicRows(), describeOutput(engine.outputLayerConf()),
                        DISTRIBUTION_TOLERANCE);
                if (scoring) {
                    labelRows = labelRows(deterministic, layout, labels);
                    weights = rowWeights(deterministic, layout, labelRows.size(0), labelMask);
                    TaskChecks.checkLabels(task, labelRows, weights, DISTRIBUTION_TOLERANCE);
                    if (task == McTask.REGRESSION && observationPrecision.isPresent()) {
                        // The likelihood of the labels under each sample, streamed: samples are not kept.
                        acc.trackLogLikelihood(labelRows, weights,
                                observationPrecision.getAsDouble() * targetScale * targetScale);
                    }
                }
            }
            int chunk = replicasPerPass(batch);
            boolean adaptive = !scoring && stopTolerance.isPresent();
            StabilityCheck stability = adaptive ? new StabilityCheck(stopTolerance.getAsDouble(), task) : null;
            for (int done = 0; done < samples; ) {
                int replicas = Math.min(chunk, samples - done);
                if (adaptive) {
                    replicas = Math.min(replicas, checkEvery - done % checkEvery);
                }
                try (MemoryWorkspace chunkScope = McWorkspaces.enterChunk();
                     ForwardOnly.Scope noBackprop = ForwardOnly.enter()) {
                    acc.add(engine.sample(batch, replicas, reusePrefix), replicas);
                }
                done += replicas;
                if (adaptive && done % checkEvery == 0 && done < samples) {
                    try (MemoryWorkspace detached = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                        if (stability.isStable(acc)) {
                            break;
                        }
                    }
                }
            }
            return new BatchRun(batch, acc, labelRows, weights);
        }
    }

    /** Labels in rows layout, checked against the output's shape before any sampling. */
    private static INDArray labelRows(INDArray output, OutputLayout layout, INDArray labels) {
        if (labels == null || !Arrays.equals(labels.shape(), output.shape())) {
            throw new IllegalArgumentException("labels must have the model output's shape "
                    + Arrays.toString(output.shape()) + ", got "
                    + (labels == null ? "no labels" : Arrays.toString(labels.shape())));
        }
        return layout.toRows(labels);
    }

    /** 1 for each scored prediction row, 0 for rows the label mask removes. */
    private static INDArray rowWeights(INDArray output, OutputLayout layout, long rows, INDArray labelMask) {
        if (labelMask == null) {
            return Nd4j.ones(DataType.DOUBLE, rows);
        }
        if (labelMask.length() == rows) {
            return labelMask.dup('c').reshape('c', new long[] {rows}).neq(0.0).castTo(DataType.DOUBLE);
        }
        throw new IllegalArgumentException("labels mask must have one value per prediction ("
                + Arrays.toString(layout.perRowShape(output.shape())) + ", " + rows + " values), got shape "
                + Arrays.toString(labelMask.shape()) + "; per-output masks are not supported");
    }

    /** For messages: {@code output layer "out" (OutputLayer, activation softmax)}. */
    private static String describeOutput(Layer outputLayer) {
        IActivation activation = outputLayer instanceof BaseLayer ? ((BaseLayer) outputLayer).getActivationFn()
                : null;
        return "output layer \"" + outputLayer.getLayerName() + "\" (" + outputLayer.getClass().getSimpleName()
                + (activation == null ? "" : ", activation " + activation.toString().toLowerCase(Locale.ROOT))
                + ")";
    }

    /** How many samples run in one pass: the memory budget's worth, 1 with weight noise, at most T. */
    int replicasPerPass(PreparedBatch batch) {
        if (engine.hasSharedNoise()) {
            return 1;
        }
        long perReplica = Math.max(1, batch.bytesPerReplicatedExample() * batch.minibatch() * MEMORY_SAFETY_FACTOR);
        return (int) Math.max(1, Math.min(samples, memoryBudgetBytes / perReplica));
    }

    private void validateInputs(INDArray[] features, INDArray[] featureMasks) {
        Checks.notNull("features", features, "one INDArray per model input");
        if (features.length != engine.inputCount()) {
            throw new IllegalArgumentException("features must hold one array per model input (" + engine.inputCount()
                    + "), got " + features.length);
        }
        long n = -1;
        for (int i = 0; i < features.length; i++) {
            INDArray f = Checks.notNull("features[" + i + "]", features[i], FEATURES);
            if (f.isEmpty() || f.rank() < 2 || f.size(0) == 0) {
                throw new IllegalArgumentException("features[" + i + "] must be a non-empty minibatch of rank >= 2,"
                        + " got shape " + Arrays.toString(f.shape()));
            }
            if (n >= 0 && f.size(0) != n) {
                throw new IllegalArgumentException("features must share one minibatch size, got "
                        + n + " and " + f.size(0) + " (features[" + i + "])");
            }
            n = f.size(0);
        }
        if (featureMasks != null && featureMasks.length != features.length) {
            throw new IllegalArgumentException("featureMasks must hold one entry per model input (" + features.length
                    + "), got " + featureMasks.length);
        }
        this.featureMasks.check(features, featureMasks);
    }

    /** Running totals of an evaluation. */
    private final class Scores {
        private PredictionMetrics deterministic;
        private PredictionMetrics monteCarlo;
        private int batches;
        private long examples;

        void add(BatchRun run) {
            INDArray output = run.batch.deterministicOutput();
            INDArray labelRows = run.labelRows;
            INDArray weights = run.weights;
            SampleAccumulator acc = run.accumulator;
            INDArray detRows = acc.deterministicRows();
            PredictionMetrics det;
            PredictionMetrics mc;
            if (task == McTask.MULTI_LABEL) {
                det = BatchMetrics.multiLabel(detRows, labelRows, weights, null, calibrationBins, false);
                mc = BatchMetrics.multiLabel(acc.meanRows(), labelRows, weights, acc.mutualInformationRows(),
                        calibrationBins, true);
            } else if (task == McTask.CLASSIFICATION) {
                det = BatchMetrics.classification(detRows, labelRows, weights, null, calibrationBins, false);
                mc = BatchMetrics.classification(acc.meanRows(), labelRows, weights, acc.mutualInformationRows(),
                        calibrationBins, true);
            } else {
                det = BatchMetrics.regression(detRows, labelRows, weights, null, null, observationPrecision,
                        targetScale, false);
                mc = BatchMetrics.regression(acc.meanRows(), labelRows, weights, acc.varianceRows(),
                        observationPrecision.isPresent() ? acc.logMeanExpRows() : null, observationPrecision,
                        targetScale, true);
            }
            deterministic = deterministic == null ? det : deterministic.merge(det);
            monteCarlo = monteCarlo == null ? mc : monteCarlo.merge(mc);
            batches++;
            examples += output.size(0);
            if (progress != null) {
                progress.onBatch(batches, examples);
            }
        }

        McReport report() {
            if (batches == 0) {
                throw new IllegalArgumentException("iterator must provide at least one minibatch, got an empty"
                        + " iterator");
            }
            if (monteCarlo.count() == 0) {
                throw new IllegalArgumentException("labels masks must leave at least one prediction to score, got "
                        + examples + " examples with every prediction masked");
            }
            return new McReport(deterministic, monteCarlo, samples);
        }
    }

    /**
     * Configures a {@link MonteCarloEvaluator}. Every setter checks its argument; {@link #build()} checks the model.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final Model model;
        private int samples = DEFAULT_SAMPLES;
        private long seed = DEFAULT_SEED;
        private long memoryBudgetBytes = DEFAULT_MEMORY_BUDGET_BYTES;
        private boolean reusePrefix = true;
        private boolean keepSamples;
        private int calibrationBins = DEFAULT_CALIBRATION_BINS;
        private McTask task;
        private OptionalDouble observationPrecision = OptionalDouble.empty();
        private double targetScale = DEFAULT_TARGET_SCALE;
        private boolean targetScaleSet;
        private String output;
        private McProgressListener progress;
        private OptionalDouble stopTolerance = OptionalDouble.empty();
        private int checkEvery;
        private McSampling sampling = McSampling.PER_EXAMPLE;

        private Builder(Model model) {
            this.model = model;
        }

        /**
         * Number of stochastic forward passes T. Defaults to {@value MonteCarloEvaluator#DEFAULT_SAMPLES}.
         *
         * @param samples at least 1 (with 1 there is no spread: variance and mutual information are 0)
         * @return this builder
         * @throws IllegalArgumentException if {@code samples < 1}
         */
        public Builder samples(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be >= 1, got " + samples);
            }
            this.samples = samples;
            return this;
        }

        /**
         * Seed from which each minibatch's random seed is derived (with the minibatch's content). Defaults to
         * {@value MonteCarloEvaluator#DEFAULT_SEED}.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Memory budget for one pass over replicated samples: the number of samples computed together is the
         * budget divided by the estimated bytes per replicated minibatch (at least 1, at most T). Defaults to
         * {@value MonteCarloEvaluator#DEFAULT_MEMORY_BUDGET_BYTES} bytes (256 MiB). The chunking changes how random
         * numbers are drawn, so results for a different budget are different samples (with the same distribution).
         *
         * @param bytes at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes < 1}
         */
        public Builder memoryBudgetBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("memoryBudgetBytes must be >= 1, got " + bytes);
            }
            this.memoryBudgetBytes = bytes;
            return this;
        }

        /**
         * Whether to compute the layers no stochastic regularizer reaches once per minibatch (true) or in every
         * pass (false, for benchmarks and checks; same results with the same seed). Defaults to true.
         *
         * @param reusePrefix true to reuse
         * @return this builder
         */
        public Builder reusePrefix(boolean reusePrefix) {
            this.reusePrefix = reusePrefix;
            return this;
        }

        /**
         * Whether predictions keep the raw samples ({@link McPrediction#samples()}); memory then grows with T.
         * Defaults to false.
         *
         * @param keepSamples true to keep
         * @return this builder
         */
        public Builder keepSamples(boolean keepSamples) {
            this.keepSamples = keepSamples;
            return this;
        }

        /**
         * Number of equal-width confidence bins of the expected calibration error. Defaults to
         * {@value MonteCarloEvaluator#DEFAULT_CALIBRATION_BINS}.
         *
         * @param bins at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code bins < 1}
         */
        public Builder calibrationBins(int bins) {
            if (bins < 1) {
                throw new IllegalArgumentException("calibrationBins must be >= 1, got " + bins);
            }
            this.calibrationBins = bins;
            return this;
        }

        /**
         * How to interpret the output. Defaults to detection from the output layer's activation: softmax means
         * {@link McTask#CLASSIFICATION}, sigmoid means {@link McTask#MULTI_LABEL} (one sigmoid unit: binary
         * classification), identity means {@link McTask#REGRESSION}; any other activation must be declared here, and
         * a sigmoid output used for bounded regression must be declared {@code REGRESSION}. A declared task that
         * does not fit the outputs is refused when they are computed (see {@link MonteCarloEvaluator#predict(INDArray)}).
         *
         * @param task not null
         * @return this builder
         * @throws IllegalArgumentException if {@code task} is null
         */
        public Builder task(McTask task) {
            this.task = Checks.notNull("task", task, "an McTask");
            return this;
        }

        /**
         * Observation precision {@code tau} of a regression model (Gal &amp; Ghahramani 2016): the model's
         * predictive distribution for a target is the mixture of {@code N(f_t(x), 1/tau)} over the T samples. It
         * gives {@link RegressionMetrics#logLikelihood()} (the paper's test log-likelihood) to both inferences, and
         * {@code 1/tau} is added to the Monte Carlo variance in
         * {@link RegressionMetrics#gaussianNegativeLogLikelihood()}. In the units of the scored targets, that is of
         * the labels times {@link #targetScale(double)}. Gal &amp; Ghahramani choose tau on validation data (a grid
         * search with the dropout rate); with weight decay {@code lambda}, dropout keep probability {@code p}, prior
         * length-scale {@code l} and N training points, their derivation gives
         * {@code tau = p l^2 / (2 N lambda)}. Defaults to none: no log-likelihood, and the Gaussian NLL of the Monte
         * Carlo side uses the sample variance alone.
         *
         * <p>The same setting as {@link #observationNoiseVariance(double)}, which sets {@code tau = 1 / variance};
         * the last call wins.
         *
         * @param tau finite and positive
         * @return this builder
         * @throws IllegalArgumentException if {@code tau} is not finite or not positive
         * @since 0.2.0
         */
        public Builder observationPrecision(double tau) {
            if (!(tau > 0) || Double.isInfinite(tau)) {
                throw new IllegalArgumentException("observationPrecision must be finite and > 0 (tau, the inverse of"
                        + " the observation noise variance), got " + tau);
            }
            this.observationPrecision = OptionalDouble.of(tau);
            return this;
        }

        /**
         * Observation noise variance {@code 1 / tau}: the same setting as {@link #observationPrecision(double)}
         * expressed as a variance (in squared units of the scored targets); the last call of the two wins. Defaults
         * to none.
         *
         * @param variance finite and positive, with {@code 1 / variance} finite
         * @return this builder
         * @throws IllegalArgumentException if {@code variance} is not finite, not positive, or so small that
         *                                  {@code 1 / variance} overflows (0 no longer means "none": leave it
         *                                  unset instead)
         */
        public Builder observationNoiseVariance(double variance) {
            if (!(variance > 0) || Double.isInfinite(variance) || Double.isInfinite(1.0 / variance)) {
                throw new IllegalArgumentException("observationNoiseVariance must be finite and > 0 with a finite"
                        + " inverse (1 / variance is the observation precision tau; leave it unset for none), got "
                        + variance);
            }
            this.observationPrecision = OptionalDouble.of(1.0 / variance);
            return this;
        }

        /**
         * For regression on standardized targets {@code (y - mean_y) / std_y}: the standard deviation {@code std_y}
         * by which labels and outputs are multiplied before scoring, so that RMSE, log-likelihood, Gaussian NLL,
         * predictive variance and DL4J's {@code RegressionEvaluation} are in the original units, as Gal &amp;
         * Ghahramani (2016) report them; the observation precision is then in original units too. The offset
         * {@code mean_y} is not needed: none of these metrics depends on it. Predictions ({@link MonteCarloEvaluator#predict(INDArray)}) stay in
         * the model's units. Equivalently, leave the scale at 1 and convert: {@code RMSE_orig = RMSE_std * std_y},
         * {@code LL_orig = LL_std - log(std_y)}, {@code tau_orig = tau_std / std_y^2}. Defaults to
         * {@value MonteCarloEvaluator#DEFAULT_TARGET_SCALE}.
         *
         * @param std finite and positive
         * @return this builder
         * @throws IllegalArgumentException if {@code std} is not finite or not positive
         * @since 0.2.0
         */
        public Builder targetScale(double std) {
            if (!(std > 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("targetScale must be finite and > 0 (the standard deviation of"
                        + " the original targets), got " + std);
            }
            this.targetScale = std;
            this.targetScaleSet = true;
            return this;
        }

        /**
         * For a {@link ComputationGraph}: the name of the output layer to evaluate. Defaults to the graph's only
         * output; required when the graph has several.
         *
         * @param outputName one of the graph's outputs
         * @return this builder
         * @throws IllegalArgumentException if {@code outputName} is null
         */
        public Builder output(String outputName) {
            this.output = Checks.notNull("outputName", outputName, "the name of one of the graph's outputs");
            return this;
        }

        /**
         * Adaptive sample count for {@link MonteCarloEvaluator#predict(INDArray) predict}: after every
         * {@code checkEvery} samples, stop sampling the minibatch when every value of its running predictive mean and
         * (for classification and multi-label outputs) of its mutual information changed by less than
         * {@code tolerance} since the previous check; at most {@link #samples(int)} passes are drawn, at least
         * {@code 2 * checkEvery} (the first comparison). {@link McPrediction#sampleCount()} tells how many were
         * drawn. Defaults to off: every minibatch draws exactly {@code samples} passes.
         *
         * <p><b>The error this allows.</b> The rule bounds the change between checks, not the distance to the
         * infinite-sample limit. For one output with per-sample standard deviation sigma, the change between the
         * means after T and T + m samples has standard deviation {@code sigma sqrt(m / (T (T + m)))}, while the
         * error of the mean after T + m samples is {@code sigma / sqrt(T + m)}: about {@code sqrt(T / m)} times
         * larger. Stopping after T + m samples therefore leaves an error of roughly {@code tolerance * sqrt(T / m)}
         * per output (for example 2x the tolerance when stopping at 5 checks), and it can be larger for an output
         * whose change happened to be small: set the tolerance to the error you accept divided by that factor. The
         * mutual information is a biased estimate at small T (it grows with T towards its limit), so an early stop
         * also leaves that bias. Sampling in chunks of at most {@code checkEvery} changes how random numbers are
         * drawn, so results differ (in distribution they are the same) from a run without this option.
         * {@link MonteCarloEvaluator#evaluate(DataSetIterator) evaluate} ignores it and always draws
         * {@code samples} passes, so that reports of parts merge exactly and compare across runs.
         *
         * @param tolerance  every mean and mutual-information value must change by less than this, finite and
         *                   {@code >= 0} (0 never stops early)
         * @param checkEvery samples between checks, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code tolerance} is negative or not finite, or {@code checkEvery < 1}
         * @since 0.3.0
         */
        public Builder stopWhenStable(double tolerance, int checkEvery) {
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException("tolerance must be finite and >= 0 (the largest change of the"
                        + " running mean or mutual information between checks), got " + tolerance);
            }
            if (checkEvery < 1) {
                throw new IllegalArgumentException("checkEvery must be >= 1, got " + checkEvery);
            }
            this.stopTolerance = OptionalDouble.of(tolerance);
            this.checkEvery = checkEvery;
            return this;
        }

        /**
         * How the masks of one sample are drawn across the examples of a minibatch. Defaults to
         * {@link McSampling#PER_EXAMPLE}: every example draws its own masks, as in DL4J training.
         *
         * <p>{@link McSampling#PER_PASS} draws one sub-network per sample and runs the whole minibatch through it:
         * stochastic {@code DenseLayer}s and {@code OutputLayer}s whose only regularizer is element-wise input
         * dropout ({@code InvertedDropout}, DL4J's {@code Dropout}) multiply only the kept rows of their weights
         * (listed by {@link MonteCarloEvaluator#thinnedLayers()}); every other stochastic layer keeps per-example
         * masks. Each example still sees T independent masks, so its predictive mean, variance, entropy and mutual
         * information have the same distribution as with {@code PER_EXAMPLE}; but the examples of one minibatch
         * share each sample's masks, so metrics averaged over a dataset (accuracy, NLL, ECE) scatter more between
         * seeds, the more the larger the minibatch. Use it when speed matters more than the seed-to-seed stability
         * of dataset-level metrics, or when you want T whole sub-networks (for example to score each one). On the
         * benchmark MLP it takes about a third of the CPU time; on MNIST (T = 50, one minibatch of 10,000) the
         * seed-to-seed spread of the test NLL grew 6.5x and of the accuracy 1.9x (docs/monte-carlo.md). With the
         * same seed it gives different samples than {@code PER_EXAMPLE}.
         *
         * @param sampling not null
         * @return this builder
         * @throws IllegalArgumentException if {@code sampling} is null
         * @since 0.4.0
         */
        public Builder sampling(McSampling sampling) {
            this.sampling = Checks.notNull("sampling", sampling, "an McSampling");
            return this;
        }

        /**
         * Listener called after every minibatch of an evaluation. Defaults to none.
         *
         * @param listener not null
         * @return this builder
         * @throws IllegalArgumentException if {@code listener} is null
         */
        public Builder progress(McProgressListener listener) {
            this.progress = Checks.notNull("listener", listener, "an McProgressListener");
            return this;
        }

        /**
         * Checks the model and builds the evaluator.
         *
         * @return a new evaluator
         * @throws IllegalArgumentException if the model is not initialized, has no stochastic regularizer (every
         *                                  sample would be identical), the output name is not one of the graph's
         *                                  outputs (or is given for a MultiLayerNetwork), the task cannot be
         *                                  detected from the output activation, or an observation precision or
         *                                  target scale is set for a task other than {@link McTask#REGRESSION}
         * @throws IllegalStateException    if a dropout variant's data format does not match its layer
         *                                  ({@link io.github.dl4jdropout.Dropouts#checkFormats})
         */
        public MonteCarloEvaluator build() {
            ForwardEngine engine;
            int labelIndex = 0;
            NetworkFacts facts;
            if (model instanceof MultiLayerNetwork) {
                if (output != null) {
                    throw new IllegalArgumentException("output applies to ComputationGraph models, got \"" + output
                            + "\" for a MultiLayerNetwork");
                }
                MultiLayerNetwork net = (MultiLayerNetwork) model;
                facts = NetworkFacts.of(net.getLayerWiseConfigurations());
                engine = ForwardEngine.create(net, facts, sampling);
            } else {
                ComputationGraph graph = (ComputationGraph) model;
                if (graph.getConfiguration() == null || graph.getVertices() == null) {
                    throw new IllegalArgumentException("graph must be initialized (call init()), got one without"
                            + " vertices");
                }
                List<String> outputs = graph.getConfiguration().getNetworkOutputs();
                String name = output;
                if (name == null) {
                    if (outputs.size() != 1) {
                        throw new IllegalArgumentException("output must be chosen for a graph with " + outputs.size()
                                + " outputs " + outputs + ", got none");
                    }
                    name = outputs.get(0);
                }
                labelIndex = outputs.indexOf(name);
                if (labelIndex < 0) {
                    throw new IllegalArgumentException("output must be one of the graph's outputs " + outputs
                            + ", got \"" + name + "\"");
                }
                facts = NetworkFacts.of(graph.getConfiguration());
                engine = ForwardEngine.create(graph, name, facts, sampling);
            }
            if (!engine.hasStochasticLayer()) {
                throw new IllegalArgumentException("model must have a stochastic regularizer (dropout, DropoutLayer,"
                        + " weight noise or RReLU, with a non-zero rate, on a layer that applies it) before the"
                        + " evaluated output, got a " + describe(model) + " without one: every Monte Carlo sample"
                        + " would equal the deterministic output. BatchNormalization and frozen layers never sample,"
                        + " even if configured with dropout.");
            }
            // A placement DL4J trains wrongly (format mismatch, dropout it never backpropagates) is refused here.
            if (!facts.problems().isEmpty()) {
                throw new IllegalStateException("model has dropout that DL4J applies wrongly, so its Monte Carlo"
                        + " samples would not be those of the network you meant:\n  - " + facts.problems().stream()
                        .map(Object::toString).collect(java.util.stream.Collectors.joining("\n  - ")));
            }
            McTask resolved = task != null ? task : detectTask(engine.outputLayerConf());
            if (resolved != McTask.REGRESSION && (observationPrecision.isPresent() || targetScaleSet)) {
                throw new IllegalArgumentException((targetScaleSet ? "targetScale" : "observationPrecision")
                        + " applies to task REGRESSION, got task " + resolved
                        + (task == null ? " (detected from the output activation)" : ""));
            }
            FeatureMasks masks = model instanceof MultiLayerNetwork ? FeatureMasks.of((MultiLayerNetwork) model)
                    : FeatureMasks.of((ComputationGraph) model);
            return new MonteCarloEvaluator(this, engine, masks, labelIndex, resolved);
        }

        private static String describe(Model model) {
            StringBuilder sb = new StringBuilder(model.getClass().getSimpleName()).append(" [");
            org.deeplearning4j.nn.api.Layer[] layers = model instanceof MultiLayerNetwork
                    ? ((MultiLayerNetwork) model).getLayers() : ((ComputationGraph) model).getLayers();
            for (int i = 0; i < layers.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(layers[i].conf().getLayer().getClass().getSimpleName());
            }
            return sb.append(']').toString();
        }

        private static McTask detectTask(Layer outputLayer) {
            IActivation activation = outputLayer instanceof BaseLayer ? ((BaseLayer) outputLayer).getActivationFn()
                    : null;
            if (activation instanceof ActivationSoftmax) {
                return McTask.CLASSIFICATION;
            }
            if (activation instanceof ActivationSigmoid) {
                return McTask.MULTI_LABEL;
            }
            if (activation instanceof ActivationIdentity) {
                return McTask.REGRESSION;
            }
            throw new IllegalArgumentException("task must be set for output layer \"" + outputLayer.getLayerName()
                    + "\" (" + outputLayer.getClass().getSimpleName() + ") with activation "
                    + (activation == null ? "none" : activation.toString().toLowerCase(Locale.ROOT))
                    + "; only softmax (classification), sigmoid (multi-label) and identity (regression) are"
                    + " detected");
        }
    }
}
