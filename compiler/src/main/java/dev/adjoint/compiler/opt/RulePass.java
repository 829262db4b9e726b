package dev.adjoint.compiler.opt;

import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Rewriter;
import dev.adjoint.compiler.pass.Pass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pass made of a table of {@link Rule}s: the graph is rebuilt in schedule order, and at each node the rules are
 * tried in table order until none applies (a replacement is itself tried again, so rules compose). Only live
 * nodes (what the roots need, and the declared leaves) are visited, so a rule fires once per live match. Nodes are
 * visited after their inputs, so a rule always sees simplified inputs; the table is rerun until nothing fires
 * (at most a few rounds). Each rule that fired is counted in the graph's record of rewrites.
 */
public class RulePass implements Pass {
    /** A node is rewritten at most this many times in a row (guards against rules undoing each other). */
    private static final int MAX_CHAIN = 16;
    private static final int MAX_ROUNDS = 4;

    private final String name;
    private final List<Rule> rules;

    public RulePass(String name, List<Rule> rules) {
        this.name = name;
        this.rules = List.copyOf(rules);
    }

    @Override
    public String name() {
        return name;
    }

    public List<Rule> rules() {
        return rules;
    }

    @Override
    public Graph run(Graph g) {
        Graph current = g;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            current = Rewriter.rebuild(current, (b, old, inputs) -> {
                GradBuilder gb = new GradBuilder(b);
                Node n = b.add(old.op(), inputs);
                for (int chain = 0; chain < MAX_CHAIN; chain++) {
                    Node replacement = null;
                    for (Rule r : rules) {
                        replacement = r.rewrite().apply(gb, n);
                        if (replacement != null && replacement != n) {
                            counts.merge(r.name(), 1, Integer::sum);
                            break;
                        }
                        replacement = null;
                    }
                    if (replacement == null) {
                        break;
                    }
                    n = replacement;
                }
                return n;
            }, DeadCode.live(current));
            current = current.withRewrites(counts);
            if (counts.isEmpty()) {
                break;
            }
        }
        return current;
    }
}
