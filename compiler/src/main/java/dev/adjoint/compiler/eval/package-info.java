/**
 * Reference evaluation: {@link dev.adjoint.compiler.eval.Interpreter} evaluates any graph in double precision
 * by calling each op's own {@code eval}, with plain loops over {@link dev.adjoint.compiler.eval.NdArray}s. It
 * is the oracle the differentiator, the optimizer and the generated code are tested against; the constant
 * folder ({@link dev.adjoint.compiler.opt.ConstantFold}) uses the same op evaluations.
 */
package dev.adjoint.compiler.eval;
