package io.github.dl4jdropout.audit;

import io.github.dl4jdropout.internal.Checks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of {@link DropoutAudit}: the findings, most severe first (in network order within a severity).
 *
 * <p>In a test of your own configuration, {@code assertThat(DropoutAudit.of(conf).findings()).isEmpty()} prints the
 * findings when it fails; before training, {@link #requireNoErrors()} stops on the findings that break training.
 * {@link #toString()} is a readable report.
 *
 * @since 0.1.0
 */
public final class AuditReport {

    private final List<Finding> findings;

    /**
     * @param findings the findings, in network order
     * @throws IllegalArgumentException if {@code findings} is null
     */
    AuditReport(List<Finding> findings) {
        List<Finding> sorted = new ArrayList<>(Checks.notNull("findings", findings, "a list of findings"));
        sorted.sort(Comparator.comparing(Finding::severity));   // stable: network order within a severity
        this.findings = List.copyOf(sorted);
    }

    /**
     * Returns every finding, most severe first.
     *
     * @return an unmodifiable list, empty when the configuration has no known dropout mistake
     */
    public List<Finding> findings() {
        return findings;
    }

    /**
     * Returns whether nothing was found.
     *
     * @return true if there are no findings of any severity
     */
    public boolean isEmpty() {
        return findings.isEmpty();
    }

    /**
     * Returns the findings of severity {@link Severity#ERROR}: training is broken or silently wrong.
     *
     * @return an unmodifiable list
     */
    public List<Finding> errors() {
        return atLeast(Severity.ERROR);
    }

    /**
     * Returns the findings at least as severe as a level: {@code atLeast(Severity.WARNING)} leaves out
     * {@link Severity#INFO}.
     *
     * @param severity the least severe level to keep
     * @return an unmodifiable list
     * @throws IllegalArgumentException if {@code severity} is null
     */
    public List<Finding> atLeast(Severity severity) {
        Checks.notNull("severity", severity, "a Severity");
        return findings.stream().filter(f -> f.severity().compareTo(severity) <= 0)
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * Returns the findings of one check.
     *
     * @param check the check
     * @return an unmodifiable list
     * @throws IllegalArgumentException if {@code check} is null
     */
    public List<Finding> of(AuditCheck check) {
        Checks.notNull("check", check, "an AuditCheck");
        return findings.stream().filter(f -> f.check() == check).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Throws if any finding is an {@link Severity#ERROR}; call it before training.
     *
     * @return this report, for chaining
     * @throws IllegalStateException with the whole report as message, if there is an error
     */
    public AuditReport requireNoErrors() {
        if (!errors().isEmpty()) {
            throw new IllegalStateException(toString());
        }
        return this;
    }

    /**
     * Returns the report: a summary line, a table of severity, check and location, then each finding's problem, why
     * and fix.
     *
     * @return the report as text; "Dropout audit: no findings" when empty
     */
    @Override
    public String toString() {
        if (findings.isEmpty()) {
            return "Dropout audit: no findings";
        }
        StringBuilder sb = new StringBuilder("Dropout audit: ")
                .append(count(Severity.ERROR, "error")).append(", ")
                .append(count(Severity.WARNING, "warning")).append(", ")
                .append(count(Severity.INFO, "info")).append('\n');
        int checkWidth = "check".length();
        for (Finding f : findings) {
            checkWidth = Math.max(checkWidth, f.check().name().length());
        }
        String row = "%3s  %-8s %-" + checkWidth + "s  %s%n";
        sb.append(String.format(row, "#", "severity", "check", "location"));
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            sb.append(String.format(row, i + 1, f.severity(), f.check(), f.location()));
        }
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            sb.append('\n').append(i + 1).append(". ").append(f.check().title()).append(" at ").append(f.location())
                    .append('\n')
                    .append("   problem: ").append(f.problem()).append('\n')
                    .append("   why:     ").append(f.why()).append('\n')
                    .append("   fix:     ").append(f.fix()).append('\n');
        }
        return sb.toString();
    }

    private String count(Severity severity, String noun) {
        long n = findings.stream().filter(f -> f.severity() == severity).count();
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditReport && findings.equals(((AuditReport) o).findings);
    }

    @Override
    public int hashCode() {
        return findings.hashCode();
    }
}
