package io.github.dl4jdropout.examples.support;

import io.github.dl4jdropout.audit.AuditReport;

/**
 * How every example shows the dropout audit of a configuration before training: the report on the console, prefixed
 * by the network's label, and a stop on an ERROR.
 */
public final class Audits {

    private Audits() {
    }

    /**
     * Prints {@code [label] report} (one line when there is no finding) and stops on an ERROR.
     *
     * @param label  which network; {@code null} for an example that trains only one
     * @param report its audit
     * @return {@code report}
     * @throws IllegalStateException if the report has an ERROR
     */
    public static AuditReport print(String label, AuditReport report) {
        return print(label, report, null);
    }

    /**
     * Prints {@code [label] report} and, when the report has findings, why they are expected here; stops on an
     * ERROR.
     *
     * @param label    which network; {@code null} for an example that trains only one
     * @param report   its audit
     * @param expected why findings are expected for this network (it is a baseline the example measures against),
     *                 or {@code null}
     * @return {@code report}
     * @throws IllegalStateException if the report has an ERROR
     */
    public static AuditReport print(String label, AuditReport report, String expected) {
        System.out.println((label == null ? "" : "[" + label + "] ") + report);
        if (expected != null && !report.isEmpty()) {
            System.out.println("  (expected: " + expected + ")");
        }
        return report.requireNoErrors();
    }
}
