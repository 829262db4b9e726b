package dev.adjoint.compiler.pass;

import dev.adjoint.compiler.ir.Graph;

/**
 * The graph after one step of the pipeline: {@code forward} (the front end's graph) or the name of the pass
 * that made it, and how long the pass took (wall-clock nanoseconds; 0 for {@code forward}).
 */
public record Stage(String name, Graph graph, long nanos) {
}
