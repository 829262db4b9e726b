/**
 * The operations of the graph IR, one record per op (or per family of elementwise ops), each with its
 * shape and type rule in {@code infer}. Record components are the op's attributes, so equal ops intern
 * to one node in {@link dev.adjoint.compiler.ir.GraphBuilder}.
 *
 * <p>Conventions shared by every op:
 * <ul>
 *   <li>{@code name()} is the op as the model writes it ({@code add}, {@code sum}, {@code matmul});
 *       every error message starts with it.</li>
 *   <li>Axes stored in a record are already normalized (non-negative); static factories such as
 *       {@link dev.adjoint.compiler.ops.Reduce#of} accept axes as written and normalize them.</li>
 *   <li>{@code infer} re-checks everything, including arity, and throws
 *       {@link dev.adjoint.compiler.ir.ShapeException} with a complete message; when one argument is
 *       at fault the exception carries its 0-based index.</li>
 * </ul>
 */
package dev.adjoint.compiler.ops;
