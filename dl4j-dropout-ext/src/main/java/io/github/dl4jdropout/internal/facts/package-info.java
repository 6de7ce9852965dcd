/**
 * The one model of what a network does with dropout: per layer, its neighbours, the layout its dropout receives,
 * what it samples in training, and the placements DL4J 1.0.0-M2.1 trains wrongly. {@code Dropouts.checkFormats},
 * {@code DropoutAudit} and {@code MonteCarloEvaluator} all read it, so they never disagree. Not public API.
 */
package io.github.dl4jdropout.internal.facts;
