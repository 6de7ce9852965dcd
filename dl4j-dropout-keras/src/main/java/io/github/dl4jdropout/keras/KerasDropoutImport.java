package io.github.dl4jdropout.keras;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras model import (HDF5 files written by {@code model.save}) that keeps the model's dropout, with Keras' meaning.
 *
 * <p>DL4J 1.0.0-M2.1's {@code KerasModelImport} turns {@code Dropout(rate)} into a no-op, inverts
 * {@code GaussianDropout}'s rate, drops image rows or time steps for {@code SpatialDropout1D/2D/3D}, uses a new mask
 * at every time step for an LSTM's {@code dropout} and ignores its {@code recurrent_dropout}: an imported model gives no
 * Monte Carlo dropout uncertainty, or the wrong one. The methods here are drop-in replacements for
 * {@code KerasModelImport.importKerasSequentialModelAndWeights(path, false)} and
 * {@code KerasModelImport.importKerasModelAndWeights(path, false)}: the same layers with the same names, input
 * conventions and weights, so inference is identical to DL4J's import; but every Keras dropout setting becomes this
 * library's dropout with Keras' meaning:
 *
 * <table>
 *   <caption>Keras setting and what the imported model carries</caption>
 *   <tr><th>Keras</th><th>imported as</th></tr>
 *   <tr><td>{@code Dropout(rate)}</td><td>{@code DropoutLayer} with {@code Dropouts.standard(rate)}; a
 *       {@code noise_shape} that shares the mask along time ({@code (batch, 1, features)}) or space gives
 *       {@code Dropouts.timeShared} or {@code Dropouts.spatial}</td></tr>
 *   <tr><td>{@code SpatialDropout1D/2D/3D(rate)}</td><td>{@code Dropouts.spatial(rate, <format of the activations>)},
 *       whole channels in the channels-last layout</td></tr>
 *   <tr><td>{@code GaussianDropout(rate)}</td><td>{@link GaussianMultiplicativeDropout}: multiplier
 *       {@code N(1, rate / (1 - rate))}</td></tr>
 *   <tr><td>{@code GaussianNoise(stddev)}</td><td>DL4J's {@code GaussianNoise(stddev)}</td></tr>
 *   <tr><td>{@code AlphaDropout(rate)}</td><td>{@link SeluAlphaDropout}</td></tr>
 *   <tr><td>{@code SimpleRNN(dropout=rate)}</td><td>{@code Dropouts.timeShared(rate, NWC)} on the layer</td></tr>
 *   <tr><td>{@code LSTM(dropout=a, recurrent_dropout=b)}, either rate above 0</td><td>a
 *       {@link io.github.dl4jdropout.layers.VariationalLSTM} in place of DL4J's {@code LSTM}, same name, settings and
 *       weights: {@code dropOut(Dropouts.timeShared(a, NWC))} (one input mask per example and sequence) and
 *       {@code recurrentDropout(b)} (one mask per example and sequence on {@code h(t-1)}); one mask of each kind for
 *       all four gates, as Keras' {@code implementation=2} (for 0 and 1, which draw one per gate, the report carries
 *       a note)</td></tr>
 *   <tr><td>{@code SimpleRNN(recurrent_dropout > 0)}</td><td>{@code VariationalSimpleRnn} with
 *       {@code recurrentDropout(rate)} and the time-shared input dropout</td></tr>
 * </table>
 *
 * <p>Every Keras noise layer stays one {@code DropoutLayer} of the same name, and every vertex keeps DL4J's name and
 * connections: the graph is DL4J's. DL4J's no-op {@code Dropout(p=1.0)},
 * which its import puts on every other layer, is removed. Keras' {@code Orthogonal} initializer becomes
 * {@link KerasOrthogonalInit}, because DL4J's version crashes the JVM when the network is initialized (the imported
 * weights do not depend on it). What each layer became is reported: {@link #importSequentialWithReport} and
 * {@link #importFunctionalWithReport} return it, {@link #importSequential} and {@link #importFunctional} log it
 * (SLF4J, INFO; caveats at WARN).
 *
 * <p>A setting without a faithful equivalent is refused with an {@link UnsupportedKerasDropoutException} that names
 * the layer and the setting, before DL4J's import runs: the model is never imported with a silently different
 * regularizer.
 *
 * <pre>{@code
 * KerasDropoutImport.Result<ComputationGraph> r = KerasDropoutImport.importFunctionalWithReport("model.h5");
 * r.mappings().forEach(System.out::println);   // layer dropout: Keras Dropout(rate=0.2) -> Dropouts.standard(0.2); ...
 * McPrediction p = MonteCarloEvaluator.builder(r.model()).samples(50).build().predict(x);
 * }</pre>
 *
 * <p>Like DL4J's import, the model is built for inference and fine-tuning without the Keras training configuration
 * ({@code enforceTrainingConfig = false}): there is no loss layer; add an output layer (for example with
 * {@code TransferLearning}) to train it.
 *
 * @since 0.2.0
 */
public final class KerasDropoutImport {

    private static final Logger log = LoggerFactory.getLogger(KerasDropoutImport.class);

    private KerasDropoutImport() {
    }

    /**
     * An imported model and the report of what its dropout became.
     *
     * @param <M> {@link MultiLayerNetwork} or {@link ComputationGraph}
     * @since 0.2.0
     */
    public static final class Result<M extends Model> {

        private final M model;
        private final List<LayerMapping> mappings;

        Result(M model, List<LayerMapping> mappings) {
            this.model = model;
            this.mappings = List.copyOf(mappings);
        }

        /**
         * Returns the imported, initialized model with the Keras weights.
         *
         * @return the model
         */
        public M model() {
            return model;
        }

        /**
         * Returns one line per setting that this import configured differently from DL4J's own import, in network
         * order: every Keras dropout or noise setting, every no-op dropout removed, every initializer replaced.
         *
         * @return an unmodifiable list, empty for a model without any of these
         */
        public List<LayerMapping> mappings() {
            return mappings;
        }

        /**
         * Returns the report, one {@link LayerMapping#toString() line} per mapping.
         *
         * @return the lines joined by newlines; "no dropout settings" when there are none
         */
        public String report() {
            return mappings.isEmpty() ? "no dropout settings"
                    : mappings.stream().map(LayerMapping::toString).collect(Collectors.joining("\n"));
        }

        /**
         * Returns the report.
         *
         * @return {@link #report()}
         */
        @Override
        public String toString() {
            return report();
        }
    }

    /**
     * Imports a Keras {@code Sequential} model with its weights, keeping its dropout, and logs what each dropout
     * setting became.
     *
     * @param h5Path path of the HDF5 file written by {@code model.save(path)}
     * @return the initialized network, as {@code KerasModelImport.importKerasSequentialModelAndWeights(path, false)}
     *         builds it but with the dropout of {@link KerasDropoutImport}
     * @throws IllegalArgumentException         if {@code h5Path} is null
     * @throws IOException                      if the file is missing, not HDF5, or has no model configuration
     * @throws UnsupportedKerasDropoutException if a dropout setting cannot be reproduced faithfully
     * @throws InvalidKerasConfigurationException     as DL4J's import, e.g. for a functional model
     * @throws UnsupportedKerasConfigurationException as DL4J's import, e.g. for a layer DL4J cannot import
     */
    public static MultiLayerNetwork importSequential(String h5Path)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        return logged(h5Path, importSequentialWithReport(h5Path)).model();
    }

    /**
     * Imports a Keras functional model ({@code Model}, {@code Functional}) with its weights, keeping its dropout, and
     * logs what each dropout setting became.
     *
     * @param h5Path path of the HDF5 file written by {@code model.save(path)}
     * @return the initialized graph, as {@code KerasModelImport.importKerasModelAndWeights(path, false)} builds it
     *         but with the dropout of {@link KerasDropoutImport}
     * @throws IllegalArgumentException         if {@code h5Path} is null
     * @throws IOException                      if the file is missing, not HDF5, or has no model configuration
     * @throws UnsupportedKerasDropoutException if a dropout setting cannot be reproduced faithfully
     * @throws InvalidKerasConfigurationException     as DL4J's import, e.g. for a Sequential model
     * @throws UnsupportedKerasConfigurationException as DL4J's import, e.g. for a layer DL4J cannot import
     */
    public static ComputationGraph importFunctional(String h5Path)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        return logged(h5Path, importFunctionalWithReport(h5Path)).model();
    }

    /**
     * Imports a Keras {@code Sequential} model like {@link #importSequential(String)}, and returns the report instead
     * of logging it.
     *
     * @param h5Path path of the HDF5 file written by {@code model.save(path)}
     * @return the network and the report
     * @throws IllegalArgumentException         if {@code h5Path} is null
     * @throws IOException                      if the file is missing, not HDF5, or has no model configuration
     * @throws UnsupportedKerasDropoutException if a dropout setting cannot be reproduced faithfully
     * @throws InvalidKerasConfigurationException     as DL4J's import
     * @throws UnsupportedKerasConfigurationException as DL4J's import
     */
    public static Result<MultiLayerNetwork> importSequentialWithReport(String h5Path)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        return ImportPipeline.sequential(checkPath(h5Path));
    }

    /**
     * Imports a Keras functional model like {@link #importFunctional(String)}, and returns the report instead of
     * logging it.
     *
     * @param h5Path path of the HDF5 file written by {@code model.save(path)}
     * @return the graph and the report
     * @throws IllegalArgumentException         if {@code h5Path} is null
     * @throws IOException                      if the file is missing, not HDF5, or has no model configuration
     * @throws UnsupportedKerasDropoutException if a dropout setting cannot be reproduced faithfully
     * @throws InvalidKerasConfigurationException     as DL4J's import
     * @throws UnsupportedKerasConfigurationException as DL4J's import
     */
    public static Result<ComputationGraph> importFunctionalWithReport(String h5Path)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        return ImportPipeline.functional(checkPath(h5Path));
    }

    private static String checkPath(String h5Path) {
        if (h5Path == null) {
            throw new IllegalArgumentException("h5Path must be the path of a Keras HDF5 model file, got null");
        }
        return h5Path;
    }

    private static <M extends Model> Result<M> logged(String h5Path, Result<M> result) {
        log.info("Keras dropout import of {}: {} setting(s) mapped", h5Path, result.mappings().size());
        for (LayerMapping m : result.mappings()) {
            if (m.note().isPresent()) {
                log.warn("{}", m);
            } else {
                log.info("{}", m);
            }
        }
        return result;
    }
}
