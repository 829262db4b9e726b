/**
 * The operations of the graph IR, one record per op (or one table per family of elementwise ops), each with
 * every rule the compiler has for it: its type and shape rule ({@code infer}), its derivative ({@code vjp}),
 * its reference evaluation ({@code eval}) and its lowering to Java ({@code lower}, or a scalar Java
 * expression for an {@link dev.adjoint.compiler.ops.ElementwiseOp}). Record components are the op's
 * attributes, so equal ops intern to one node in {@link dev.adjoint.compiler.ir.GraphBuilder}.
 * {@link dev.adjoint.compiler.ops.OpRegistry} lists every kind.
 *
 * <p>Conventions shared by every op:
 * <ul>
 *   <li>{@code name()} is the op as the model writes it ({@code add}, {@code sum}, {@code matmul});
 *       every error message starts with it.</li>
 *   <li>Axes stored in a record are already normalized (non-negative); static factories such as
 *       {@link dev.adjoint.compiler.ops.ReduceOp#of} accept axes as written and normalize them.</li>
 *   <li>{@code infer} re-checks everything, including arity, and throws
 *       {@link dev.adjoint.compiler.ir.ShapeException} with a complete message; when one argument is
 *       at fault the exception carries its 0-based index.</li>
 *   <li>Kinks and ties follow PyTorch; masked derivatives select with {@code where}, never multiply by a
 *       mask.</li>
 * </ul>
 */
package dev.adjoint.compiler.ops;
