package io.github.dl4jdropout.examples.keras;

import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.support.Audits;
import io.github.dl4jdropout.examples.support.CommandLine;
import io.github.dl4jdropout.examples.support.CommonFlags;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.ExampleOptions;
import io.github.dl4jdropout.examples.support.Option;
import io.github.dl4jdropout.examples.support.Require;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Vectors;
import io.github.dl4jdropout.keras.KerasDropoutImport;
import io.github.dl4jdropout.keras.LayerMapping;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Monte Carlo dropout on a model trained in Keras: import it with its dropout ({@link KerasDropoutImport}), audit it
 * ({@link DropoutAudit}), sample it ({@link MonteCarloEvaluator}) and print the predictive uncertainty per input.
 *
 * <p>The bundled model, {@code simple_lstm_tf_keras_2_model.h5} (Keras 2.0.6, from KonduitAI/dl4j-test-resources,
 * Apache 2.0), is a one-step-ahead forecaster: {@code LSTM(50, dropout=0.2)} on one-step windows of a series scaled
 * to [0, 1], then {@code Dense(1)}. DL4J's own {@code KerasModelImport} turns its {@code dropout} into per-step
 * dropout (and its default import of this file crashes the JVM in ND4J's orthogonal initializer); the import here
 * gives the LSTM Keras' time-shared input mask, as a {@code VariationalLSTM}, and reports what it did.
 *
 * <p>What the table shows: with one input feature, input dropout either keeps the whole window (scaled by
 * 1/(1 - 0.2)) or drops it, so the Monte Carlo spread grows with the input's size and is exactly 0 for the input 0,
 * which dropping cannot change. A model with {@code recurrent_dropout} would also be sampled on its recurrent state
 * (on windows longer than one step).
 */
public final class KerasExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "keras";

    /** Resource name of the bundled model, beside its README and license. */
    public static final String BUNDLED_MODEL = "simple_lstm_tf_keras_2_model.h5";

    private KerasExample() {
    }

    /**
     * Settings of the Keras example. Change one with {@link #with}, e.g.
     * {@code defaults().with(Options.MC_SAMPLES, 20)}.
     *
     * @param model     the Keras HDF5 file: a Sequential model on sequences of one feature with one output
     * @param seed      seed of the Monte Carlo masks
     * @param outputDir where the CSV file goes
     * @param mcSamples Monte Carlo passes T per input
     * @param points    inputs evenly spaced over [0, 1], each a one-step window
     */
    public record Options(Path model, long seed, Path outputDir, int mcSamples, int points)
            implements ExampleOptions<Options> {

        /** {@code --model FILE}. */
        public static final Option<Options, Path> MODEL = Option.file("model",
                "Keras Sequential HDF5 file: one-feature sequences in, one output", Options::model,
                KerasExample::shownModel);
        /** {@code --seed N}. */
        public static final Option<Options, Long> SEED = Option.longInteger("seed", "seed of the Monte Carlo masks",
                Options::seed);
        /** {@code --out DIR}. */
        public static final Option<Options, Path> OUT = Option.path("out", "where the CSV file goes",
                Options::outputDir, CommonOptions::shown);
        /** {@code --mc-samples T}. */
        public static final Option<Options, Integer> MC_SAMPLES = CommonFlags.mcSamples(Options::mcSamples);
        /** {@code --points N}. */
        public static final Option<Options, Integer> POINTS = Option.integer("points",
                "inputs evenly spaced over [0, 1], each a one-step window", Options::points);
        /** The command line: the options above, help texts. */
        public static final CommandLine<Options> COMMAND_LINE = CommandLine.builder(NAME,
                        "import a Keras LSTM with its dropout, audit it, print MC dropout uncertainty",
                        Options::defaults)
                .options(MODEL, SEED, OUT, MC_SAMPLES, POINTS)
                .build(v -> new Options(v.get(MODEL), v.get(SEED), v.get(OUT), v.get(MC_SAMPLES), v.get(POINTS)));

        /** Validates every field. */
        public Options {
            Require.notNull("model", model);
            Require.notNull("outputDir", outputDir);
            if (!Files.isRegularFile(model)) {
                throw new IllegalArgumentException("model must be an existing Keras HDF5 file, got " + model);
            }
            Require.atLeast("mcSamples", mcSamples, 2);
            Require.atLeast("points", points, 1);
        }

        /**
         * Defaults: the bundled Keras LSTM, seed 42, T = 50 passes, 6 inputs. A few seconds.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(bundledModel(), 42, CommonOptions.defaultOutputDir(NAME), 50, 6);
        }

        /**
         * Reads options from the command line; {@code ./run-example keras --help} lists them.
         *
         * @param argv any of the options of {@link #COMMAND_LINE}
         * @return validated options
         * @throws IllegalArgumentException on an unknown option (the message lists the known ones) or a bad value
         */
        public static Options parse(String... argv) {
            return COMMAND_LINE.parse(argv);
        }

        @Override
        public CommandLine<Options> commandLine() {
            return COMMAND_LINE;
        }
    }

    /**
     * What the example measured.
     *
     * @param options       the settings it ran with
     * @param mappings      what each dropout setting of the Keras model became (the import's report)
     * @param audit         the dropout audit for Monte Carlo use of the imported model
     * @param inputs        the inputs (the value of each one-step window)
     * @param deterministic standard inference (dropout off)
     * @param mcMean        Monte Carlo predictive mean
     * @param mcStd         Monte Carlo predictive standard deviation (model uncertainty from the dropout)
     * @param table         the table, as printed
     * @param csv           the CSV file written
     */
    public record Result(Options options, List<LayerMapping> mappings, AuditReport audit, double[] inputs,
                         double[] deterministic, double[] mcMean, double[] mcStd, String table, Path csv) {
    }

    /**
     * The bundled model as a file: the resource itself when the classes are a folder (as under
     * {@code ./run-example}), else a copy in a temporary file.
     *
     * @return the path of {@value #BUNDLED_MODEL}
     * @throws IllegalStateException if the resource is missing from the class path
     */
    public static Path bundledModel() {
        URL url = KerasExample.class.getResource("/keras/" + BUNDLED_MODEL);
        if (url == null) {
            throw new IllegalStateException("resource /keras/" + BUNDLED_MODEL + " is missing from the class path");
        }
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI());
            }
            Path copy = Files.createTempFile("dl4j-dropout-keras-example", ".h5");
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + url + " to a file", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shownModel(Path model) {
        return model.getFileName().toString().equals(BUNDLED_MODEL) || model.toString().contains(
                "dl4j-dropout-keras-example") ? "bundled " + BUNDLED_MODEL : model.toString();
    }

    /**
     * Inputs evenly spaced over [0, 1] as one-step windows of one feature, {@code [points, 1, 1]} (Keras' layout:
     * batch, time, features).
     *
     * @param points how many
     * @return the values
     */
    public static double[] inputs(int points) {
        double[] v = new double[points];
        for (int i = 0; i < points; i++) {
            v[i] = points == 1 ? 0.5 : (double) i / (points - 1);
        }
        return v;
    }

    /**
     * Runs the example: import, report, audit, Monte Carlo, table and CSV.
     *
     * @param options settings
     * @return the measurements
     * @throws IllegalStateException if the import fails (the message says why, e.g. a refused dropout setting) or
     *                               the audit finds an ERROR
     */
    public static Result run(Options options) {
        System.out.println("Importing " + options.model() + " with its dropout");
        KerasDropoutImport.Result<MultiLayerNetwork> imported;
        try {
            imported = KerasDropoutImport.importSequentialWithReport(options.model().toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot import " + options.model() + ": " + e.getMessage(), e);
        }
        System.out.println("What the Keras dropout became:");
        imported.mappings().forEach(m -> System.out.println("  " + m));
        MultiLayerNetwork net = imported.model();
        AuditReport audit = Audits.print("imported model", DropoutAudit.forMonteCarlo(net));

        double[] inputs = inputs(options.points());
        INDArray x = Nd4j.create(inputs, new long[]{inputs.length, 1, 1}, 'c').castTo(DataType.FLOAT);
        McPrediction p = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION).samples(options.mcSamples())
                .seed(options.seed()).build().predict(x);
        double[] det = Vectors.values(p.deterministic());
        double[] mean = Vectors.values(p.mean());
        double[] std = Arrays.stream(Vectors.values(p.variance())).map(Math::sqrt).toArray();

        Table table = new Table("input (T = " + options.mcSamples() + ")", "standard", "MC mean", "MC std",
                "MC mean - 2 std", "MC mean + 2 std");
        List<String> csv = new ArrayList<>();
        csv.add("input,standard,mc_mean,mc_std");
        for (int i = 0; i < inputs.length; i++) {
            table.row(Table.num(inputs[i], 3), Table.num(det[i], 4), Table.num(mean[i], 4), Table.num(std[i], 4),
                    Table.num(mean[i] - 2 * std[i], 4), Table.num(mean[i] + 2 * std[i], 4));
            csv.add(Csv.line(inputs[i], det[i], mean[i], std[i]));
        }
        System.out.println();
        System.out.println(table);
        Path file = Csv.write(options.outputDir().resolve("keras-mc.csv"), csv);
        System.out.printf(Locale.ROOT, "CSV file written to %s%n", file);
        return new Result(options, imported.mappings(), audit, inputs, det, mean, std, table.toString(), file);
    }

    /**
     * Command line: {@code ./run-example keras --help} lists the options.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Options.COMMAND_LINE.main(args, KerasExample::run);
    }
}
