/**
 * Checking a model's gradient: {@link dev.adjoint.runtime.check.GradientCheck} compares the
 * analytic gradient of an {@link dev.adjoint.runtime.AdjointModel} with central finite
 * differences at a seeded random point. {@code adjoint gradcheck} and the gradient tests the
 * compiler can generate for every model both use it.
 */
package dev.adjoint.runtime.check;
