package io.github.dl4jdropout.examples.support;

import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Trains a classifier epoch by epoch and records what the examples report. */
public final class Training {

    private Training() {
    }

    /**
     * What one epoch cost and what the network then scored, both errors measured in inference mode (no dropout).
     *
     * @param epoch      1-based epoch number
     * @param fitSeconds wall time of {@code fit} for this epoch alone, evaluation excluded
     * @param trainError classification error on the training examples
     * @param testError  classification error on the test examples
     */
    public record Epoch(int epoch, double fitSeconds, double trainError, double testError) {
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
                    double trainError = error(net, train);
                    double testError = error(net, test);
                    history.add(new Epoch(e, seconds, trainError, testError));
                    bar.setExtraMessage(String.format(" ep %d/%d train %s test %s", e, epochs,
                            Table.pct(trainError), Table.pct(testError)));
                }
            } finally {
                net.getListeners().remove(step);
            }
        }
        return history;
    }

    /**
     * Classification error of {@code net} in inference mode.
     *
     * @param net  the network
     * @param data the examples (reset first)
     * @return the fraction misclassified
     */
    public static double error(MultiLayerNetwork net, DataSetIterator data) {
        data.reset();
        Evaluation eval = net.evaluate(data);
        data.reset();
        return 1.0 - eval.accuracy();
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
