package io.github.dl4jdropout.keras.example;

import io.github.dl4jdropout.keras.KerasDropoutImport;
import io.github.dl4jdropout.keras.LayerMapping;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Example: import a Keras LSTM regression model with its dropout and read Monte Carlo dropout uncertainty from it.
 *
 * <p>The default model is {@code simple_lstm_tf_keras_2_model.h5} (Keras 2.0.6, {@code LSTM(50, dropout=0.2)} then
 * {@code Dense(1)}, a one-step-ahead forecaster of a series scaled to [0, 1]). DL4J's own import of it crashes the
 * JVM, and would carry per-step dropout; here the LSTM's input dropout is time-shared, as in Keras, and the Monte
 * Carlo evaluator turns it into a predictive standard deviation per input.
 *
 * <p>Run it (from the repository root): {@code dl4j-dropout-keras/run-keras-example [--model file.h5] [--samples 50]
 * [--seed 42] [--points 6]}. {@link #main} only parses arguments; {@link #run} does the work and returns the numbers,
 * which the smoke test checks with tiny settings.
 */
public final class KerasMonteCarloExample {

    /** The settings of one run; defaults as documented on each field. */
    public static final class Options {
        /** Keras Sequential HDF5 file with a one-feature sequence input and one output; default the bundled LSTM. */
        public String model = bundled("simple_lstm_tf_keras_2_model.h5");
        /** Monte Carlo passes per input: 50. */
        public int samples = 50;
        /** Seed of the Monte Carlo evaluator: 42. */
        public long seed = 42;
        /** Number of evenly spaced inputs in [0, 1]: 6. */
        public int points = 6;
    }

    /** What a run found. */
    public static final class Result {
        /** What each dropout setting of the Keras model became. */
        public final List<LayerMapping> mappings;
        /** The inputs (last value of the sequence). */
        public final double[] inputs;
        /** Standard (deterministic) predictions. */
        public final double[] deterministic;
        /** Monte Carlo mean predictions. */
        public final double[] mcMean;
        /** Monte Carlo predictive standard deviations (model uncertainty from dropout). */
        public final double[] mcStd;

        Result(List<LayerMapping> mappings, double[] inputs, double[] deterministic, double[] mcMean,
               double[] mcStd) {
            this.mappings = mappings;
            this.inputs = inputs;
            this.deterministic = deterministic;
            this.mcMean = mcMean;
            this.mcStd = mcStd;
        }

        /** @return the report and a table of predictions, for the console */
        public String table() {
            StringBuilder sb = new StringBuilder("Dropout of the Keras model:\n");
            mappings.forEach(m -> sb.append("  ").append(m).append('\n'));
            sb.append(String.format(Locale.ROOT, "%n%8s  %13s  %8s  %8s%n", "input", "deterministic", "MC mean",
                    "MC std"));
            for (int i = 0; i < inputs.length; i++) {
                sb.append(String.format(Locale.ROOT, "%8.3f  %13.4f  %8.4f  %8.4f%n", inputs[i], deterministic[i],
                        mcMean[i], mcStd[i]));
            }
            return sb.toString();
        }
    }

    private KerasMonteCarloExample() {
    }

    /**
     * Imports the model and evaluates it with Monte Carlo dropout on evenly spaced one-step sequences.
     *
     * @param options the settings
     * @return the report and the predictions
     * @throws Exception if the model cannot be imported (see {@link KerasDropoutImport})
     */
    public static Result run(Options options) throws Exception {
        KerasDropoutImport.Result<MultiLayerNetwork> imported =
                KerasDropoutImport.importSequentialWithReport(options.model);
        MultiLayerNetwork net = imported.model();
        double[] inputs = new double[options.points];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = options.points == 1 ? 0.5 : (double) i / (options.points - 1);
        }
        // [points, time steps = 1, features = 1]: the model was trained on one-step windows (Keras' NWC layout).
        INDArray x = Nd4j.create(inputs, new long[]{inputs.length, 1, 1}, 'c').castTo(DataType.FLOAT);
        double[] deterministic = net.output(x).data().asDouble();
        McPrediction p = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION).samples(options.samples)
                .seed(options.seed).build().predict(x);
        double[] mean = p.mean().data().asDouble();
        double[] std = org.nd4j.linalg.ops.transforms.Transforms.sqrt(p.variance(), true).data().asDouble();
        return new Result(imported.mappings(), inputs, deterministic, mean, std);
    }

    /**
     * Parses {@code --model}, {@code --samples}, {@code --seed} and {@code --points}, runs, prints the table.
     *
     * @param args the arguments
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        Options o = new Options();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--model":
                    o.model = args[i + 1];
                    break;
                case "--samples":
                    o.samples = Integer.parseInt(args[i + 1]);
                    break;
                case "--seed":
                    o.seed = Long.parseLong(args[i + 1]);
                    break;
                case "--points":
                    o.points = Integer.parseInt(args[i + 1]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + "; expected --model, --samples, --seed or --points");
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("every option needs a value, got " + String.join(" ", args));
        }
        System.out.print(run(o).table());
    }

    private static String bundled(String name) {
        try {
            return Path.of(KerasMonteCarloExample.class.getResource("/keras/" + name).toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            return name;
        }
    }
}
