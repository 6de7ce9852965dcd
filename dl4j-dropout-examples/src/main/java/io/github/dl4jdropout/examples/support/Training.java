package io.github.dl4jdropout.examples.support;

import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Trains a classifier epoch by epoch and records what the examples report. */
public final class Training {

    private Training() {
    }

    /**
     * @param conf a configuration
     * @return a network with that configuration, initialized (weights drawn from the configuration's seed)
     */
    public static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * What one epoch cost and what the network then scored, both errors measured in inference mode (no dropout).
     *
     * @param epoch      1-based epoch number
     * @param fitSeconds wall time of {@code fit} for this epoch alone, evaluation excluded
     * @param trainError classification error on the training examples
     * @param testError  classification error on the test examples
     * @param trainLoss  mean cross-entropy (negative log-likelihood) on the training examples
     * @param testLoss   mean cross-entropy on the test examples: it rises when a network grows overconfident in
     *                   its mistakes, the clearest sign of overfitting
     */
    public record Epoch(int epoch, double fitSeconds, double trainError, double testError, double trainLoss,
                        double testLoss) {
        /** @return test error minus training error: how much the network overfits */
        public double gap() {
            return testError - trainError;
        }
    }

    /**
     * Trains {@code net} for {@code epochs} epochs, showing a progress bar, and evaluates after each epoch.
     *
     * @param label  name shown on the progress bar
     * @param net    an initialized network
     * @param train  training data (reset before each epoch)
     * @param test   test data
     * @param epochs number of epochs
     * @return one entry per epoch
     */
    public static List<Epoch> fit(String label, MultiLayerNetwork net, DataSetIterator train, DataSetIterator test,
                                  int epochs) {
        return fit(label, net, train, train, test, epochs);
    }

    /**
     * Trains {@code net} for {@code epochs} epochs, showing a progress bar, and evaluates after each epoch, scoring
     * the training examples through a separate iterator: the same examples in larger minibatches make the
     * evaluation cheaper (for recurrent networks, whose cost per minibatch is dominated by the time steps) without
     * changing any number.
     *
     * @param label           name shown on the progress bar
     * @param net             an initialized network
     * @param train           training data (reset before each epoch)
     * @param trainEvaluation the same training examples, for scoring (order and minibatch size do not matter)
     * @param test            test data
     * @param epochs          number of epochs
     * @return one entry per epoch
     */
    public static List<Epoch> fit(String label, MultiLayerNetwork net, DataSetIterator train,
                                  DataSetIterator trainEvaluation, DataSetIterator test, int epochs) {
        List<Epoch> history = new ArrayList<>();
        long batches = countBatches(train);
        try (ProgressBar bar = Progress.start(label, epochs * batches)) {
            StepListener step = new StepListener(bar);
            net.addListeners(step);
            try {
                for (int e = 1; e <= epochs; e++) {
                    train.reset();
                    long start = System.nanoTime();
                    net.fit(train);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Score onTrain = score(net, trainEvaluation);
                    Score onTest = score(net, test);
                    history.add(new Epoch(e, seconds, onTrain.error(), onTest.error(), onTrain.loss(),
                            onTest.loss()));
                    bar.setExtraMessage(String.format(" ep %d/%d train %s test %s", e, epochs,
                            Table.pct(onTrain.error()), Table.pct(onTest.error())));
                }
            } finally {
                net.getListeners().remove(step);
            }
        }
        return history;
    }

    /**
     * Classification error and mean cross-entropy of a classifier.
     *
     * @param error fraction misclassified
     * @param loss  mean negative log-probability of the true class
     */
    public record Score(double error, double loss) {
    }

    /**
     * Scores {@code net} in inference mode (no dropout) in one pass over {@code data}.
     *
     * @param net  a classifier with a softmax output and one-hot labels
     * @param data the examples (reset first and after)
     * @return error and mean cross-entropy
     */
    public static Score score(MultiLayerNetwork net, DataSetIterator data) {
        data.reset();
        double wrong = 0;
        double nll = 0;
        long n = 0;
        while (data.hasNext()) {
            DataSet ds = data.next();
            INDArray probabilities = net.output(ds.getFeatures(), false);
            Score s = score(probabilities, ds.getLabels());
            long m = ds.numExamples();
            wrong += s.error() * m;
            nll += s.loss() * m;
            n += m;
        }
        data.reset();
        return new Score(wrong / n, nll / n);
    }

    /**
     * Scores class probabilities against one-hot labels.
     *
     * @param probabilities {@code [n, classes]}, rows summing to 1
     * @param labels        {@code [n, classes]}, one-hot
     * @return error and mean cross-entropy (probabilities are floored at 1e-12 so a confident mistake costs about
     *         27.6 nats instead of infinity)
     */
    public static Score score(INDArray probabilities, INDArray labels) {
        double n = labels.size(0);
        double wrong = probabilities.argMax(1).neq(labels.argMax(1)).castTo(DataType.DOUBLE).sumNumber()
                .doubleValue();
        INDArray pTrue = probabilities.castTo(DataType.DOUBLE).mul(labels).sum(1);
        double nll = -Transforms.log(Transforms.max(pTrue, 1e-12), false).sumNumber().doubleValue();
        return new Score(wrong / n, nll / n);
    }

    private static long countBatches(DataSetIterator it) {
        it.reset();
        long n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        it.reset();
        return n;
    }

    /** Steps the bar once per minibatch. */
    private static final class StepListener extends BaseTrainingListener {
        private final ProgressBar bar;

        StepListener(ProgressBar bar) {
            this.bar = bar;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            bar.step();
        }
    }
}
