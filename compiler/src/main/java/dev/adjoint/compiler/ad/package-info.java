/**
 * Reverse-mode automatic differentiation, graph to graph. {@link dev.adjoint.compiler.ad.Autodiff} is the
 * driver; {@code DerivativeRules} is the table of per-op rules (with {@code ShapeRules} and
 * {@code NeuralRules} for the longer ones), written in the small {@code GradBuilder} DSL; the result,
 * {@link dev.adjoint.compiler.ad.Gradients}, maps forward nodes to adjoint nodes of the same graph. Zero
 * gradients are symbolic (absent), never materialized.
 */
package dev.adjoint.compiler.ad;
