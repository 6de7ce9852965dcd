package io.github.dl4jdropout.audit;

import io.github.dl4jdropout.internal.Checks;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One dropout mistake found by {@link DropoutAudit}: which {@link AuditCheck} found it, how severe it is, where it is,
 * what is wrong, why it matters, and the suggested fix as code.
 *
 * <p>Immutable. Findings are made by the audit only; compare them with {@link #equals(Object)} or through their
 * accessors.
 *
 * @since 0.1.0
 */
public final class Finding {

    private final Severity severity;
    private final AuditCheck check;
    private final String location;
    private final String layerName;
    private final Integer layerIndex;
    private final String problem;
    private final String why;
    private final String fix;

    /**
     * @param severity   how severe
     * @param check      which check found it
     * @param location   where, as text ("layer 2 (DenseLayer)", "vertex 'conv2' (ConvolutionLayer)", "network")
     * @param layerName  DL4J layer name or graph vertex name, or null for a finding about the whole network
     * @param layerIndex index in a {@code MultiLayerConfiguration}, or null (graphs, whole network)
     * @param problem    what is wrong
     * @param why        why it matters, with the source
     * @param fix        the suggested fix as code
     * @throws IllegalArgumentException if a text or enum argument is null
     */
    Finding(Severity severity, AuditCheck check, String location, String layerName, Integer layerIndex,
            String problem, String why, String fix) {
        this.severity = Checks.notNull("severity", severity, "a Severity");
        this.check = Checks.notNull("check", check, "an AuditCheck");
        this.location = Checks.notNull("location", location, "a description of where the finding is");
        this.layerName = layerName;
        this.layerIndex = layerIndex;
        this.problem = Checks.notNull("problem", problem, "a sentence saying what is wrong");
        this.why = Checks.notNull("why", why, "a sentence saying why it matters");
        this.fix = Checks.notNull("fix", fix, "the suggested fix as code");
    }

    /**
     * Returns how severe the finding is.
     *
     * @return the severity
     */
    public Severity severity() {
        return severity;
    }

    /**
     * Returns the check that made this finding; its name is a stable identifier.
     *
     * @return the check
     */
    public AuditCheck check() {
        return check;
    }

    /**
     * Returns where the finding is, as printed in the report: for example {@code layer 2 (DenseLayer)},
     * {@code layer 0 ('encoder', LSTM)}, {@code vertex 'conv2' (ConvolutionLayer)}, or {@code network} for a finding
     * about the whole network.
     *
     * @return the location as text
     */
    public String location() {
        return location;
    }

    /**
     * Returns the layer's name: the vertex name in a {@code ComputationGraphConfiguration}, the layer name in a
     * {@code MultiLayerConfiguration} (DL4J names unnamed layers {@code layer0}, {@code layer1}, ...).
     *
     * @return the name, or empty for a finding about the whole network
     */
    public Optional<String> layerName() {
        return Optional.ofNullable(layerName);
    }

    /**
     * Returns the layer's index in a {@code MultiLayerConfiguration}.
     *
     * @return the index, or empty in a graph or for a finding about the whole network
     */
    public OptionalInt layerIndex() {
        return layerIndex == null ? OptionalInt.empty() : OptionalInt.of(layerIndex);
    }

    /**
     * Returns what is wrong, with the values found in the configuration.
     *
     * @return one or two sentences
     */
    public String problem() {
        return problem;
    }

    /**
     * Returns why it matters, with the paper or source behind the check.
     *
     * @return one or two sentences
     */
    public String why() {
        return why;
    }

    /**
     * Returns the suggested fix as Java code, for example
     * {@code .dropOut(Dropouts.spatial(0.2, CNN2DFormat.NHWC))}, sometimes with a short alternative.
     *
     * @return the fix
     */
    public String fix() {
        return fix;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Finding)) {
            return false;
        }
        Finding f = (Finding) o;
        return severity == f.severity && check == f.check && location.equals(f.location)
                && Objects.equals(layerName, f.layerName) && Objects.equals(layerIndex, f.layerIndex)
                && problem.equals(f.problem) && why.equals(f.why) && fix.equals(f.fix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(severity, check, location, layerName, layerIndex, problem, why, fix);
    }

    /**
     * Returns the finding as a few lines of text: severity, check and location, then problem, why and fix.
     *
     * @return the finding as text
     */
    @Override
    public String toString() {
        return severity + " " + check + " at " + location + "\n"
                + "  problem: " + problem + "\n"
                + "  why:     " + why + "\n"
                + "  fix:     " + fix;
    }
}
