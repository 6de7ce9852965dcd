package io.github.dl4jdropout.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor side: one model and evaluator per executor thread and broadcast. A network is not thread-safe (and
 * the evaluator locks it), so each thread that runs tasks gets its own copy, loaded from the broadcast bytes the
 * first time that thread needs it and reused by every later task of the same broadcast on that thread. A thread
 * keeps only its latest model, so a finished job's model is freed when the thread moves on.
 */
final class ExecutorEvaluators {

    /** Models loaded in this JVM, for tests and logs. */
    private static final AtomicInteger LOADS = new AtomicInteger();

    private static final ThreadLocal<Loaded> CURRENT = new ThreadLocal<>();

    /** The ND4J thread count last applied in this JVM; 0 before the first task. */
    private static volatile int appliedThreads;

    private ExecutorEvaluators() {
    }

    /** What one thread holds: the broadcast and settings it was built for, and the evaluator. */
    private static final class Loaded {
        private final long broadcastId;
        private final McSettings settings;
        private final MonteCarloEvaluator evaluator;

        private Loaded(long broadcastId, McSettings settings, MonteCarloEvaluator evaluator) {
            this.broadcastId = broadcastId;
            this.settings = settings;
            this.evaluator = evaluator;
        }
    }

    /**
     * The calling thread's evaluator for this model and these settings, loading the model if the thread has none yet.
     *
     * @param model          the broadcast model
     * @param settings       the evaluator settings
     * @param threadsPerTask ND4J (OpenMP and BLAS) threads for this task; null for the task's CPUs
     */
    static MonteCarloEvaluator get(Broadcast<ModelBytes> model, McSettings settings, Integer threadsPerTask) {
        applyThreads(threadsPerTask);
        Loaded loaded = CURRENT.get();
        if (loaded != null && loaded.broadcastId == model.id() && loaded.settings.equals(settings)) {
            return loaded.evaluator;
        }
        CURRENT.remove();
        MonteCarloEvaluator evaluator = build(model.value(), settings);
        CURRENT.set(new Loaded(model.id(), settings, evaluator));
        return evaluator;
    }

    static MonteCarloEvaluator build(ModelBytes model, McSettings settings) {
        LOADS.incrementAndGet();
        try (ByteArrayInputStream in = new ByteArrayInputStream(model.bytes())) {
            if (model.isGraph()) {
                ComputationGraph graph = ModelSerializer.restoreComputationGraph(in, false);
                return settings.applyTo(MonteCarloEvaluator.builder(graph)).build();
            }
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(in, false);
            return settings.applyTo(MonteCarloEvaluator.builder(net)).build();
        } catch (IOException e) {
            throw new UncheckedIOException("could not restore the broadcast model (" + model.bytes().length
                    + " bytes)", e);
        }
    }

    /**
     * Sets ND4J's thread counts (its own thread pool, OpenMP and BLAS) to the task's share of the executor's cores,
     * so that {@code executor cores / task CPUs} concurrent tasks do not oversubscribe the machine. The setting is
     * per JVM; every task of a job asks for the same count, so it is applied once.
     */
    static void applyThreads(Integer threadsPerTask) {
        int threads = threadsPerTask != null ? threadsPerTask : taskCpus();
        if (threads == appliedThreads) {
            return;
        }
        synchronized (ExecutorEvaluators.class) {
            if (threads != appliedThreads) {
                Nd4j.getEnvironment().setMaxThreads(threads);
                Nd4j.getEnvironment().setMaxMasterThreads(threads);
                Nd4j.factory().blas().setMaxThreads(threads);
                appliedThreads = threads;
            }
        }
    }

    private static int taskCpus() {
        TaskContext task = TaskContext.get();
        return task == null ? 1 : Math.max(1, task.cpus());
    }

    /** Models loaded in this JVM so far. */
    static int loads() {
        return LOADS.get();
    }

    /** The ND4J thread count last applied in this JVM (0 if none). */
    static int appliedThreads() {
        return appliedThreads;
    }
}
