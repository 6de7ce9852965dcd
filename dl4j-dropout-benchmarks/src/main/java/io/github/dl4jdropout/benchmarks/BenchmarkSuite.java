package io.github.dl4jdropout.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs every benchmark of this module with one set of settings, then prints (and writes to
 * {@code <out>/summary.md}) each comparison as a ratio with its spread, next to the targets of the benchmark issue.
 *
 * <p>Usage: {@code BenchmarkSuite [--quick] [--out DIR] [--mc-iterations N]
 * [--only overhead,training,mc,memory,vlstm,fit-paired] [--exclude REGEX]}. {@code --exclude} skips the JMH
 * benchmarks whose full name matches the regular expression (for example {@code evaluatorNoPrefixReuse}, the slowest
 * MC benchmark after the naive loop). Without {@code --only} the groups overhead, training, mc and memory run;
 * {@code vlstm} (VariationalLSTM against DL4J's LSTM, about 4 minutes) and {@code fit-paired} (training-step cost of
 * dropout, paired, MLP, CNN and LSTM, about 8 minutes) run only when named. The full mode takes about 12 minutes on 2
 * cores; {@code --quick} is a smoke check of a few minutes on small inputs whose numbers mean
 * nothing. Raw JMH results go to {@code <out>/jmh-<group>.json}.
 *
 * <p><b>Spread.</b> Every ratio is computed from two benchmarks of the same run. Its spread is the widest range the
 * measurement iterations allow: for {@code a / b}, from {@code min(a) / max(b)} to {@code max(a) / min(b)}. With 3
 * to 5 iterations this is more honest than JMH's 99.9% interval, which needs more samples to mean much.
 */
public final class BenchmarkSuite {

    /** JVM flag that keeps ND4J's start-up INFO lines out of the benchmark output. */
    public static final String QUIET_LOGS = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

    private final boolean quick;
    private final int mcIterations;
    private final Path out;
    /** Regular expression of JMH benchmarks to skip, or null. */
    private final String exclude;
    private final Map<String, Statistics> stats = new TreeMap<>();
    private final List<String> memoryLines = new ArrayList<>();
    /** Secondary (auxiliary counter) results per measurement iteration, in order, by "method counter". */
    private final Map<String, List<Double>> secondarySeries = new TreeMap<>();

    private BenchmarkSuite(boolean quick, int mcIterations, Path out, String exclude) {
        this.exclude = exclude;
        this.quick = quick;
        this.mcIterations = mcIterations;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int mcIterations = 2;
        Path out = Paths.get("target", "benchmark-results");
        List<String> groups = List.of("overhead", "training", "mc", "memory");
        String exclude = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    quick = true;
                    break;
                case "--out":
                    out = Paths.get(args[++i]);
                    break;
                case "--mc-iterations":
                    mcIterations = Integer.parseInt(args[++i]);
                    break;
                case "--only":
                    groups = List.of(args[++i].split(","));
                    break;
                case "--exclude":
                    exclude = args[++i];
                    break;
                default:
                    throw new IllegalArgumentException("argument must be --quick, --out DIR, --mc-iterations N,"
                            + " --only GROUPS or --exclude REGEX, got " + args[i]);
            }
        }
        Files.createDirectories(out);
        BenchmarkSuite suite = new BenchmarkSuite(quick, mcIterations, out, exclude);
        String loadAtStart = loadAverage();
        Instant start = Instant.now();
        for (String group : groups) {
            suite.runGroup(group.trim());
        }
        String summary = suite.summary(loadAtStart, loadAverage(), start);
        Files.writeString(out.resolve("summary.md"), summary);
        System.out.println();
        System.out.println(summary);
    }

    private void runGroup(String group) throws RunnerException, IOException, InterruptedException {
        switch (group) {
            case "overhead":
                runJmh(group, DropoutOverheadBenchmark.class, b -> quick
                        ? b.warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
                        .measurementIterations(2).measurementTime(TimeValue.milliseconds(500))
                        : b.warmupIterations(3).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(5).measurementTime(TimeValue.seconds(1)));
                break;
            case "training":
                runJmh(group, MlpTrainingBenchmark.class, b -> quick
                        ? b.warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
                        .measurementIterations(2).measurementTime(TimeValue.milliseconds(500))
                        : b.warmupIterations(3).warmupTime(TimeValue.seconds(2))
                        .measurementIterations(5).measurementTime(TimeValue.seconds(2)));
                break;
            case "mc":
                runJmh(group, MonteCarloBenchmark.class, b -> quick
                        ? b.param("examples", "500").param("samples", "5").measurementIterations(1)
                        : b.measurementIterations(mcIterations));
                break;
            case "memory":
                runMemory();
                break;
            case "vlstm":
                runJmh(group, VariationalLstmBenchmark.class, b -> quick
                        ? b.warmupIterations(1).warmupTime(TimeValue.milliseconds(500))
                        .measurementIterations(2).measurementTime(TimeValue.milliseconds(500))
                        : b.warmupIterations(3).warmupTime(TimeValue.seconds(2))
                        .measurementIterations(5).measurementTime(TimeValue.seconds(3)));
                runJmh(group + "-paired", VariationalLstmPairedBenchmark.class, b -> quick
                        ? b.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(2).measurementTime(TimeValue.seconds(1))
                        : b);
                break;
            case "fit-paired":
                runJmh(group, TrainingOverheadBenchmark.class, b -> quick
                        ? b.param("network", "mlp").warmupIterations(1).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(2).measurementTime(TimeValue.seconds(1))
                        : b.measurementIterations(60).measurementTime(TimeValue.seconds(2)));
                break;
            default:
                throw new IllegalArgumentException("group must be overhead, training, mc, memory, vlstm or fit-paired,"
                        + " got " + group);
        }
    }

    private interface Settings {
        ChainedOptionsBuilder apply(ChainedOptionsBuilder b);
    }

    private void runJmh(String group, Class<?> benchmark, Settings settings) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(benchmark.getName() + "\\.")
                .forks(1)
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("jmh-" + group + ".json").toString());
        if (exclude != null) {
            b = b.exclude(exclude);
        }
        Collection<RunResult> results = new Runner(settings.apply(b).build()).run();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            StringBuilder key = new StringBuilder(method);
            for (String p : r.getParams().getParamsKeys()) {
                if (!p.equals("examples") && !p.equals("samples")) {
                    key.append(' ').append(r.getParams().getParam(p));
                }
            }
            // Pool the iterations of every fork (there is one) into one statistics object.
            org.openjdk.jmh.util.ListStatistics pooled = new org.openjdk.jmh.util.ListStatistics();
            for (BenchmarkResult br : r.getBenchmarkResults()) {
                for (Result<?> it : br.getIterationResults().stream().map(ir -> ir.getPrimaryResult()).toList()) {
                    pooled.addValue(it.getScore());
                }
            }
            stats.put(key.toString(), pooled);
            for (BenchmarkResult br : r.getBenchmarkResults()) {
                br.getIterationResults().forEach(ir -> ir.getSecondaryResults().forEach((name, result) ->
                        secondarySeries.computeIfAbsent(key + " " + name, k -> new ArrayList<>())
                                .add(result.getScore())));
            }
        }
    }

    private void runMemory() throws IOException, InterruptedException {
        int examples = quick ? 200 : 1000;
        long budget = 256L * 1024 * 1024;
        int runs = quick ? 1 : 2;
        for (int run = 0; run < runs; run++) {
            for (int samples : new int[]{10, 200}) {
                List<String> cmd = new ArrayList<>();
                cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
                cmd.add("-Xmx2g");
                cmd.add(QUIET_LOGS);
                cmd.add("-cp");
                cmd.add(System.getProperty("java.class.path"));
                cmd.add(McMemoryProbe.class.getName());
                cmd.add(Integer.toString(samples));
                cmd.add(Integer.toString(examples));
                cmd.add(Long.toString(budget));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String result = null;
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        System.out.println("[memory probe] " + line);
                        if (line.startsWith("samples=")) {
                            result = line;
                        }
                    }
                }
                int rc = p.waitFor();
                if (rc != 0 || result == null) {
                    throw new IllegalStateException("memory probe for T=" + samples + " failed with exit code " + rc);
                }
                memoryLines.add(result);
                Map<String, String> kv = parse(result);
                for (String metric : new String[]{"vmHwmBytes", "heapPeakBytes", "offHeapPeakBytes"}) {
                    stats.computeIfAbsent("memory " + metric + " T=" + samples,
                            k -> new org.openjdk.jmh.util.ListStatistics());
                    ((org.openjdk.jmh.util.ListStatistics) stats.get("memory " + metric + " T=" + samples))
                            .addValue(Double.parseDouble(kv.get(metric)));
                }
            }
        }
    }

    /**
     * Appends one row for two auxiliary counters measured in the same iterations: the ratio {@code a / b} of each
     * measurement iteration (a paired comparison under the same load), their median (judged against the target),
     * mean and range, and the ratio of the totals over all iterations. Skipped when not run.
     */
    private void pairedRatio(StringBuilder sb, String label, String a, String b, String target, double bound) {
        List<Double> sa = secondarySeries.get(a);
        List<Double> sbb = secondarySeries.get(b);
        if (sa == null || sbb == null || sa.size() != sbb.size() || sa.isEmpty()) {
            return;
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < sa.size(); i++) {
            ratios.add(sa.get(i) / sbb.get(i));
        }
        java.util.Collections.sort(ratios);
        int n = ratios.size();
        double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
        double mean = ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double totals = sa.stream().mapToDouble(Double::doubleValue).sum()
                / sbb.stream().mapToDouble(Double::doubleValue).sum();
        sb.append(String.format(Locale.ROOT, "| %s | %.3f (median; mean %.3f; of totals %.3f) | %.3f..%.3f (%d paired"
                + " iterations) | %s | %s |%n", label, median, mean, totals, ratios.get(0), ratios.get(n - 1), n,
                target, Double.isNaN(bound) ? "" : median <= bound ? "yes" : "NO"));
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return kv;
    }

    // ---------------------------------------------------------------------------------------------------------

    private String summary(String loadAtStart, String loadAtEnd, Instant start) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Benchmark summary (").append(quick ? "QUICK mode: smoke check, numbers not meaningful" : "full")
                .append(")\n\n");
        sb.append("- started ").append(start).append(", took ")
                .append(String.format(Locale.ROOT, "%.1f", (Instant.now().toEpochMilli() - start.toEpochMilli()) / 60000.0))
                .append(" min\n");
        sb.append("- machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(memTotal()).append(", Java ").append(System.getProperty("java.version"))
                .append("\n");
        sb.append("- MC measurement iterations: ").append(quick ? 1 : mcIterations).append("\n");
        sb.append("- load average (1, 5, 15 min) at start: ").append(loadAtStart).append("; at end: ")
                .append(loadAtEnd).append("\n\n");

        sb.append("## Raw scores\n\n| benchmark | mean | min | max | n |\n|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Statistics> e : stats.entrySet()) {
            Statistics s = e.getValue();
            sb.append(String.format(Locale.ROOT, "| %s | %.4g | %.4g | %.4g | %d |%n", e.getKey(), s.getMean(),
                    s.getMin(), s.getMax(), s.getN()));
        }
        sb.append("\nUnits: overhead us/op, training ms/op, mc ms/op, vlstm (forwardBackward) ms/op, memory bytes.\n\n");

        sb.append("## Ratios\n\n| comparison | ratio | spread (min..max) | target | met |\n|---|---:|---|---|---|\n");
        ratio(sb, "standard [128,1024]: ours / DL4J Dropout", "standardOurs", "standardDl4jDropout", "<= 1.05", 1.05,
                true);
        ratio(sb, "spatial NCHW: ours / DL4J SpatialDropout", "spatialNchwOurs", "spatialNchwDl4jSpatialDropout",
                "(info)", Double.NaN, true);
        ratio(sb, "spatial NCHW: ours / DL4J Dropout (element-wise)", "spatialNchwOurs", "spatialNchwDl4jDropout",
                "< 1", 1.0, true);
        ratio(sb, "spatial NHWC: ours / DL4J Dropout (element-wise, NCHW)", "spatialNhwcOurs",
                "spatialNchwDl4jDropout", "< 1", 1.0, true);
        ratio(sb, "time-shared NCW: ours / DL4J Dropout", "timeSharedNcwOurs", "timeSharedNcwDl4jDropout", "< 1",
                1.0, true);
        ratio(sb, "time-shared NWC: ours / DL4J Dropout (NCW)", "timeSharedNwcOurs", "timeSharedNcwDl4jDropout",
                "< 1", 1.0, true);
        ratio(sb, "MLP fit: ours standard / DL4J Dropout", "fit oursStandard", "fit dl4jDropout", "<= 1.05", 1.05,
                true);
        ratio(sb, "MLP fit: ours standard / no dropout", "fit oursStandard", "fit none", "(info)", Double.NaN, true);
        ratio(sb, "MLP fit: DL4J Dropout / no dropout", "fit dl4jDropout", "fit none", "(info)", Double.NaN, true);
        for (String net : new String[]{"mlp", "cnn"}) {
            double target = net.equals("mlp") ? 1.6 : 5.0;
            ratio(sb, net + " MC T=50: naive loop / evaluator (speed-up)", "naiveLoop " + net, "evaluator " + net,
                    ">= " + target, target, false);
            ratio(sb, net + " MC T=50: evaluator without prefix reuse / with (speed-up)",
                    "evaluatorNoPrefixReuse " + net, "evaluator " + net, "(info)", Double.NaN, false);
            ratio(sb, net + " MC T=50: naive loop / evaluator without prefix reuse", "naiveLoop " + net,
                    "evaluatorNoPrefixReuse " + net, "(info)", Double.NaN, false);
            ratio(sb, net + " MC T=50: evaluator / gemm limit", "evaluator " + net, "gemmLimit " + net, "<= 1.3",
                    1.3, true);
            // McSampling.PER_PASS (thinned networks), issue 15.
            double perPassSpeedUp = net.equals("mlp") ? 3.5 : 20.0;
            ratio(sb, net + " MC T=50: naive loop / evaluator PER_PASS (speed-up)", "naiveLoop " + net,
                    "evaluatorPerPass " + net, ">= " + perPassSpeedUp, perPassSpeedUp, false);
            ratio(sb, net + " MC T=50: evaluator PER_EXAMPLE / PER_PASS (speed-up)", "evaluator " + net,
                    "evaluatorPerPass " + net, "(info)", Double.NaN, false);
            ratio(sb, net + " MC T=50: evaluator PER_PASS / dense gemm limit", "evaluatorPerPass " + net,
                    "gemmLimit " + net, net.equals("mlp") ? "<= 0.75" : "(info)",
                    net.equals("mlp") ? 0.75 : Double.NaN, true);
        }
        ratio(sb, "LSTM [64,128,50] fwd+bwd: VariationalLSTM rates 0 / DL4J LSTM", "forwardBackward vlstmRate0",
                "forwardBackward dl4jLstm", "<= 1.3", 1.3, true);
        ratio(sb, "LSTM [64,128,50] fwd+bwd: VariationalLSTM recurrent 0.25 / DL4J LSTM",
                "forwardBackward vlstmRecurrent", "forwardBackward dl4jLstm", "<= 1.3", 1.3, true);
        ratio(sb, "LSTM [64,128,50] fwd+bwd: VariationalLSTM input+recurrent 0.25 / DL4J LSTM",
                "forwardBackward vlstmInputAndRecurrent", "forwardBackward dl4jLstm", "<= 1.3", 1.3, true);
        for (String layer : new String[]{"vlstmRate0", "vlstmRecurrent", "vlstmInputAndRecurrent"}) {
            pairedRatio(sb, "LSTM [64,128,50] fwd+bwd, interleaved, wall: " + layer + " / dl4jLstm",
                    "interleaved " + layer + "Nanos", "interleaved dl4jLstmNanos", "<= 1.3", 1.3);
            pairedRatio(sb, "LSTM [64,128,50] fwd+bwd, interleaved, process CPU: " + layer + " / dl4jLstm",
                    "interleaved " + layer + "CpuNanos", "interleaved dl4jLstmCpuNanos", "<= 1.3", 1.3);
        }
        for (String net : new String[]{"mlp", "cnn", "lstm"}) {
            for (String variant : new String[]{"identity", "ours", "dl4j"}) {
                String target = net.equals("mlp") && variant.equals("ours") ? "<= 1.05" : "(info)";
                double bound = net.equals("mlp") && variant.equals("ours") ? 1.05 : Double.NaN;
                pairedRatio(sb, net + " fit step, interleaved, wall: " + variant + " / none",
                        "interleaved " + net + " " + variant + "Nanos", "interleaved " + net + " noneNanos",
                        target, bound);
                pairedRatio(sb, net + " fit step, interleaved, process CPU: " + variant + " / none",
                        "interleaved " + net + " " + variant + "CpuNanos", "interleaved " + net + " noneCpuNanos",
                        target, bound);
            }
        }
        for (String metric : new String[]{"vmHwmBytes", "heapPeakBytes", "offHeapPeakBytes"}) {
            String t200 = "memory " + metric + " T=200";
            String t10 = "memory " + metric + " T=10";
            ratio(sb, "MC memory " + metric + ": T=200 / T=10", t200, t10,
                    metric.equals("vmHwmBytes") ? "< 1.10" : "(info)",
                    metric.equals("vmHwmBytes") ? 1.10 - 1e-12 : Double.NaN, true);
        }
        if (!memoryLines.isEmpty()) {
            sb.append("\n## Memory probe lines\n\n```\n");
            memoryLines.forEach(l -> sb.append(l).append('\n'));
            sb.append("```\n");
        }
        return sb.toString();
    }

    /**
     * Appends one ratio row {@code a / b}; skipped when either side was not run.
     *
     * @param atMost true if the target is an upper bound on the ratio, false for a lower bound
     */
    private void ratio(StringBuilder sb, String label, String a, String b, String target, double bound,
                       boolean atMost) {
        Statistics sa = stats.get(a);
        Statistics sb2 = stats.get(b);
        if (sa == null || sb2 == null) {
            return;
        }
        double r = sa.getMean() / sb2.getMean();
        double lo = sa.getMin() / sb2.getMax();
        double hi = sa.getMax() / sb2.getMin();
        String met = Double.isNaN(bound) ? "" : ((atMost ? r <= bound : r >= bound) ? "yes" : "NO");
        sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f..%.3f | %s | %s |%n", label, r, lo, hi, target,
                met));
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String cpuModel() throws IOException {
        Path cpuinfo = Paths.get("/proc/cpuinfo");
        if (Files.exists(cpuinfo)) {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() throws IOException {
        Path meminfo = Paths.get("/proc/meminfo");
        if (Files.exists(meminfo)) {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB RAM", kib / 1024.0 / 1024.0);
                }
            }
        }
        return "unknown RAM";
    }
}
