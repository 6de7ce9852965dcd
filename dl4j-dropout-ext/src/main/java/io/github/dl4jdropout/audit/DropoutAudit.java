package io.github.dl4jdropout.audit;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.facts.NetworkFacts;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Finds the common dropout mistakes in a DL4J network configuration before it trains. Most of them fail silently:
 * the network trains, just worse. The audit understands DL4J's own dropout classes ({@code Dropout},
 * {@code SpatialDropout}, {@code AlphaDropout}, {@code GaussianDropout}, {@code DropConnect}, {@code DropoutLayer}) as
 * well as this library's ({@link io.github.dl4jdropout.Dropouts}), and reads the configuration only: nothing is
 * trained or changed.
 *
 * <pre>{@code
 * AuditReport report = DropoutAudit.of(conf);
 * System.out.println(report);              // a readable report, "Dropout audit: no findings" when clean
 * report.requireNoErrors();                // stop before training on what breaks it
 * assertThat(report.findings()).isEmpty(); // in your own tests
 * }</pre>
 *
 * <p>The checks are the constants of {@link AuditCheck}; {@code docs/audit.md} gives each one's reasoning, threshold
 * and source. Remember where DL4J applies dropout: a layer's {@code IDropout} acts on that layer's <em>input</em>, in
 * training only, so dropout on the first layer is dropout on the network input.
 *
 * @since 0.1.0
 */
public final class DropoutAudit {

    private DropoutAudit() {
    }

    /**
     * Audits a multi-layer network configuration.
     *
     * @param conf the configuration
     * @return the findings; empty if no known mistake was found
     * @throws IllegalArgumentException if {@code conf} is null
     */
    public static AuditReport of(MultiLayerConfiguration conf) {
        Checks.notNull("conf", conf, "a MultiLayerConfiguration");
        return new AuditReport(Auditor.audit(NetworkFacts.of(conf), false));
    }

    /**
     * Audits a computation graph configuration. Findings name the layer's vertex.
     *
     * @param conf the configuration
     * @return the findings; empty if no known mistake was found
     * @throws IllegalArgumentException if {@code conf} is null
     */
    public static AuditReport of(ComputationGraphConfiguration conf) {
        Checks.notNull("conf", conf, "a ComputationGraphConfiguration");
        return new AuditReport(Auditor.audit(NetworkFacts.of(conf), false));
    }

    /**
     * Audits the configuration of a built network, as {@link #of(MultiLayerConfiguration)}.
     *
     * @param network the network (initialized or not)
     * @return the findings; empty if no known mistake was found
     * @throws IllegalArgumentException if {@code network} is null
     */
    public static AuditReport of(MultiLayerNetwork network) {
        Checks.notNull("network", network, "a MultiLayerNetwork");
        return of(network.getLayerWiseConfigurations());
    }

    /**
     * Audits the configuration of a built graph, as {@link #of(ComputationGraphConfiguration)}.
     *
     * @param network the graph (initialized or not)
     * @return the findings; empty if no known mistake was found
     * @throws IllegalArgumentException if {@code network} is null
     */
    public static AuditReport of(ComputationGraph network) {
        Checks.notNull("network", network, "a ComputationGraph");
        return of(network.getConfiguration());
    }

    /**
     * Audits a configuration that is about to be used for Monte Carlo dropout evaluation: every check of
     * {@link #of(MultiLayerConfiguration)}, plus {@link AuditCheck#NO_STOCHASTIC_LAYER} as an error when no layer
     * applies dropout or weight noise.
     *
     * @param conf the configuration
     * @return the findings; empty if no known mistake was found
     * @throws IllegalArgumentException if {@code conf} is null
     */
    public static AuditReport forMonteCarlo(MultiLayerConfiguration conf) {
        Checks.notNull("conf", conf, "a MultiLayerConfiguration");
        return new AuditReport(Auditor.audit(NetworkFacts.of(conf), true));
    }

    /**
     * Audits a graph configuration for Monte Carlo dropout evaluation, as
     * {@link #forMonteCarlo(MultiLayerConfiguration)}.
     *
     * @param conf the configuration
     * @return the findings; empty if no known mistake was found
     * @throws IllegalArgumentException if {@code conf} is null
     */
    public static AuditReport forMonteCarlo(ComputationGraphConfiguration conf) {
        Checks.notNull("conf", conf, "a ComputationGraphConfiguration");
        return new AuditReport(Auditor.audit(NetworkFacts.of(conf), true));
    }

    /**
     * Audits a built network for Monte Carlo dropout evaluation, as {@link #forMonteCarlo(MultiLayerConfiguration)}.
     *
     * @param network the network
     * @return the findings; empty if no known mistake was found
     * @throws IllegalArgumentException if {@code network} is null
     */
    public static AuditReport forMonteCarlo(MultiLayerNetwork network) {
        Checks.notNull("network", network, "a MultiLayerNetwork");
        return forMonteCarlo(network.getLayerWiseConfigurations());
    }

    /**
     * Audits a built graph for Monte Carlo dropout evaluation, as {@link #forMonteCarlo(MultiLayerConfiguration)}.
     *
     * @param network the graph
     * @return the findings; empty if no known mistake was found
     * @throws IllegalArgumentException if {@code network} is null
     */
    public static AuditReport forMonteCarlo(ComputationGraph network) {
        Checks.notNull("network", network, "a ComputationGraph");
        return forMonteCarlo(network.getConfiguration());
    }

    /**
     * Returns whether some layer is random in training mode: it applies a dropout with a non-zero rate (a
     * {@code DropoutLayer} included) or weight noise. Dropout set on a layer that DL4J ignores it on
     * ({@code BatchNormalization}, pooling, frozen layers, ...) does not count.
     *
     * @param conf the configuration
     * @return true if Monte Carlo passes of the network can differ
     * @throws IllegalArgumentException if {@code conf} is null
     */
    public static boolean hasStochasticLayer(MultiLayerConfiguration conf) {
        Checks.notNull("conf", conf, "a MultiLayerConfiguration");
        return NetworkFacts.of(conf).hasStochasticLayer();
    }

    /**
     * Returns whether some layer of a graph is random in training mode, as
     * {@link #hasStochasticLayer(MultiLayerConfiguration)}.
     *
     * @param conf the configuration
     * @return true if Monte Carlo passes of the network can differ
     * @throws IllegalArgumentException if {@code conf} is null
     */
    public static boolean hasStochasticLayer(ComputationGraphConfiguration conf) {
        Checks.notNull("conf", conf, "a ComputationGraphConfiguration");
        return NetworkFacts.of(conf).hasStochasticLayer();
    }
}
