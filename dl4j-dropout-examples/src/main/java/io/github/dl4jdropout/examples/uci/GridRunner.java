package io.github.dl4jdropout.examples.uci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the settings of a grid search on a fixed number of threads and returns their results in grid order.
 *
 * <p>Each setting trains and scores its own network with its own seeds. DL4J seeds the calling thread's random
 * generator when a network is initialized and ND4J's generators are per thread, so a setting gives the same result
 * on any thread, in any order: the chosen setting does not depend on the number of threads ({@code UciExampleTest}
 * checks it). The worker threads live as long as the process (daemon threads, one pool per thread count), so that
 * ND4J's per-thread workspaces are made once, not once per split.
 */
final class GridRunner {

    private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

    private GridRunner() {
    }

    /**
     * @param tasks   the settings, in grid order
     * @param threads how many run at once; 0 for one per available processor, 1 to run them on the calling thread
     * @param <T>     a setting's result
     * @return the results, in the order of {@code tasks}
     * @throws IllegalArgumentException if {@code threads} is negative
     * @throws IllegalStateException    if a setting throws (its exception is the cause)
     */
    static <T> List<T> run(List<Callable<T>> tasks, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be at least 0, got " + threads);
        }
        int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        List<T> results = new ArrayList<>(tasks.size());
        try {
            if (n == 1 || tasks.size() < 2) {
                for (Callable<T> t : tasks) {
                    results.add(t.call());
                }
                return results;
            }
            ExecutorService pool = POOLS.computeIfAbsent(n, GridRunner::pool);
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(t));
            }
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a grid setting failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the grid search ran", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("a grid setting failed: " + e, e);
        }
    }

    private static ExecutorService pool(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "uci-grid-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(threads, factory);
    }
}
