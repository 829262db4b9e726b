package dev.adjoint.compiler.pass;

import dev.adjoint.compiler.ir.Graph;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs passes in order and keeps every stage, for {@code show} and for statistics. With {@code verify} (tests,
 * and {@code -Dadjoint.verify=true}), {@link Verifier} checks the graph before the first pass and after each,
 * so a pass that breaks an invariant is named at once.
 */
public final class Pipeline {
    /** The name of the first stage, the front end's graph. */
    public static final String FORWARD = "forward";

    private final List<Pass> passes;
    private final boolean verify;

    public Pipeline(List<Pass> passes, boolean verify) {
        this.passes = List.copyOf(passes);
        this.verify = verify;
    }

    public List<Pass> passes() {
        return passes;
    }

    /**
     * Every stage, the {@code forward} graph first.
     *
     * @throws VerificationException (with {@code verify}) naming the pass after which the graph is malformed
     */
    public List<Stage> run(Graph forward) {
        List<Stage> stages = new ArrayList<>();
        if (verify) {
            Verifier.verify(forward, FORWARD);
        }
        stages.add(new Stage(FORWARD, forward, 0));
        Graph g = forward;
        for (Pass p : passes) {
            long start = System.nanoTime();
            g = p.run(g);
            long nanos = System.nanoTime() - start;
            if (verify) {
                Verifier.verify(g, p.name());
            }
            stages.add(new Stage(p.name(), g, nanos));
        }
        return stages;
    }
}
