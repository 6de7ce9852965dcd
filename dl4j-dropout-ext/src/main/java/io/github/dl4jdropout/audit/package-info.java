/**
 * A configuration audit that finds the common dropout mistakes in a DL4J network before it trains:
 * {@link io.github.dl4jdropout.audit.DropoutAudit} is the entry point, it returns an
 * {@link io.github.dl4jdropout.audit.AuditReport} of {@link io.github.dl4jdropout.audit.Finding}s, each naming one
 * {@link io.github.dl4jdropout.audit.AuditCheck} and its {@link io.github.dl4jdropout.audit.Severity}. The checks, their
 * thresholds and the sources behind them are listed in {@code docs/audit.md}.
 */
package io.github.dl4jdropout.audit;
