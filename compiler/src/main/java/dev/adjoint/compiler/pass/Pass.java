package dev.adjoint.compiler.pass;

import dev.adjoint.compiler.ir.Graph;

/**
 * One step of the compiler's middle end: a named function from a graph to a graph. A pass never changes what
 * the roots compute (outputs, loss and the gradients asked for), only how; differentiation is the one pass that
 * adds roots (the gradients).
 */
public interface Pass {

    /** A short name for dumps, statistics and errors ({@code differentiate}, {@code cse}). */
    String name();

    /** The graph after this pass. */
    Graph run(Graph g);
}
