package dev.adjoint.compiler.pass;

import dev.adjoint.compiler.ir.Graph;

/**
 * The graph after one step of the pipeline: {@code forward} (the front end's graph) or the name of the pass
 * that made it.
 */
public record Stage(String name, Graph graph) {
}
