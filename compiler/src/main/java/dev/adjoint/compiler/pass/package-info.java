/**
 * The middle end's machinery: a {@link dev.adjoint.compiler.pass.Pass} is a named {@code Graph -> Graph}
 * function, a {@link dev.adjoint.compiler.pass.Pipeline} runs passes in order and keeps every stage, and the
 * {@link dev.adjoint.compiler.pass.Verifier} checks the invariants of the IR between passes.
 */
package dev.adjoint.compiler.pass;
