package io.github.dl4jdropout.audit;

/**
 * How sure the audit is that a finding hurts training, from most to least severe.
 *
 * @since 0.1.0
 */
public enum Severity {
    /** Training is broken or silently computes something else than configured: fix before training. */
    ERROR,
    /** Very likely a mistake that makes the network train worse; fix unless you have measured otherwise. */
    WARNING,
    /** Worth knowing: a better-founded alternative exists, or a setting has no effect. */
    INFO
}
