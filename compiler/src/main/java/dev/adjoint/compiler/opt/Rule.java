package dev.adjoint.compiler.opt;

import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ir.Node;

/**
 * One named rewrite of a {@link RulePass}: given a node (its inputs already rewritten), the node that replaces
 * it, built with {@code g}, or null when the rule does not apply. A replacement always has the node's type and
 * computes the same values (see each rule's comment for the rounding it may change).
 *
 * @param name the rule's name, as the audit trail lists it ({@code mul-by-one})
 * @param rewrite the rewrite
 */
public record Rule(String name, Rewrite rewrite) {

    /** The rewrite itself. */
    @FunctionalInterface
    public interface Rewrite {
        Node apply(GradBuilder g, Node n);
    }
}
