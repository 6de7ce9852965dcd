package io.github.dl4jdropout.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Monte Carlo benchmarks of {@link MonteCarloBenchmark} (same networks, inputs and settings) timed by the
 * process CPU time they consume as well as by wall-clock time, in interleaved rounds (the order rotates every
 * round). On a machine shared with other busy processes the wall-clock time of a call measures mostly how much CPU
 * the process was given; its CPU time (all JVM threads, ND4J's OpenMP threads included; run with
 * {@code OMP_WAIT_POLICY=PASSIVE} so that waiting threads sleep instead of spinning) measures the work. Ratios of
 * CPU times of calls in the same round are the load-robust comparison.
 *
 * <p>Usage: {@code McCpuTime [mlp|cnn] [rounds] [examples] [samples]}; defaults mlp, 2, 10000, 50.
 */
public final class McCpuTime {

    private McCpuTime() {
    }

    public static void main(String[] args) {
        String net = args.length > 0 ? args[0] : "mlp";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        MonteCarloBenchmark.Model model = new MonteCarloBenchmark.Model();
        model.net = net;
        model.examples = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        model.samples = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        model.setUp();
        MonteCarloBenchmark.Limit limit = new MonteCarloBenchmark.Limit();
        limit.setUp(model);
        MonteCarloBenchmark bench = new MonteCarloBenchmark();
        Map<String, Supplier<Object>> calls = new LinkedHashMap<>();
        calls.put("gemmLimit", () -> bench.gemmLimit(limit));
        calls.put("evaluator", () -> bench.evaluator(model));
        calls.put("evaluatorPerPass", () -> bench.evaluatorPerPass(model));
        calls.put("naiveLoop", () -> bench.naiveLoop(model));
        List<String> names = new ArrayList<>(calls.keySet());
        Map<String, double[]> cpu = new LinkedHashMap<>();
        Map<String, double[]> wall = new LinkedHashMap<>();
        for (String name : names) {
            cpu.put(name, new double[rounds]);
            wall.put(name, new double[rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((i + r) % names.size());
                long c0 = ProcessCpu.nanos();
                long t0 = System.nanoTime();
                calls.get(name).get();
                cpu.get(name)[r] = (ProcessCpu.nanos() - c0) / 1e9;
                wall.get(name)[r] = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "round %d %s %s: CPU %.2f s, wall %.2f s, load %s%n", r, net, name,
                        cpu.get(name)[r], wall.get(name)[r], load());
            }
        }
        String[][] pairs = {{"evaluatorPerPass", "gemmLimit"}, {"naiveLoop", "evaluatorPerPass"},
            {"evaluator", "evaluatorPerPass"}, {"evaluator", "gemmLimit"}, {"naiveLoop", "evaluator"}};
        for (String[] p : pairs) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %s / %s per round: CPU", net, p[0],
                    p[1]));
            for (int r = 0; r < rounds; r++) {
                sb.append(String.format(Locale.ROOT, " %.3f", cpu.get(p[0])[r] / cpu.get(p[1])[r]));
            }
            sb.append("; wall");
            for (int r = 0; r < rounds; r++) {
                sb.append(String.format(Locale.ROOT, " %.3f", wall.get(p[0])[r] / wall.get(p[1])[r]));
            }
            System.out.println(sb);
        }
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Paths.get("/proc/loadavg")).trim().split("\\s+")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
