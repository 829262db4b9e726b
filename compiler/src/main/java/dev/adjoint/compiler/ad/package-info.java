/**
 * Reverse-mode automatic differentiation, graph to graph. {@link dev.adjoint.compiler.ad.Autodiff} is the
 * driver: it asks each node's op for its vector–Jacobian products ({@link dev.adjoint.compiler.ir.Op#vjp}, written
 * in the small {@link dev.adjoint.compiler.ad.GradBuilder} DSL) and sums contributions at fan-out; the result,
 * {@link dev.adjoint.compiler.ad.Gradients}, maps forward nodes to adjoint nodes of the same graph. Zero
 * gradients are symbolic (absent), never materialized. {@link dev.adjoint.compiler.ad.Differentiate} is the
 * pipeline's pass around it.
 */
package dev.adjoint.compiler.ad;
