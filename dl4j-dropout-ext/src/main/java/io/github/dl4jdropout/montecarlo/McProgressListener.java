package io.github.dl4jdropout.montecarlo;

/**
 * Receives progress from {@link MonteCarloEvaluator#evaluate} after each minibatch, for long evaluations.
 *
 * <p>Called on the evaluating thread; a slow listener slows the evaluation down.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface McProgressListener {

    /**
     * Called after a minibatch has been fully sampled and scored.
     *
     * @param batchesDone  minibatches finished so far in this evaluation (1 after the first)
     * @param examplesDone examples finished so far in this evaluation
     */
    void onBatch(int batchesDone, long examplesDone);
}
