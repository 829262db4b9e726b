package dev.adjoint.compiler.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.ad.Differentiate;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.ir.Graph;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline keeps every stage and, when verifying, names the pass that broke the graph. */
class PipelineTest {
    private static Graph forward() {
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile("m.model", """
                model M {
                  input grad x : f64[3]
                  param W : f64[3, 3] = ones
                  output y = tanh(W @ x)
                  loss l = sum(y)
                }
                """));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        return r.models().get(0).graph();
    }

    @Test
    void keepsEveryStageInOrder() {
        Graph f = forward();
        List<Stage> stages = new Pipeline(List.of(new Differentiate()), true).run(f);
        assertEquals(List.of("forward", "differentiate"), stages.stream().map(Stage::name).toList());
        assertSame(f, stages.get(0).graph());
        Graph g = stages.get(1).graph();
        assertEquals(List.of("W", "x"), g.gradients().stream().map(Graph.Gradient::name).toList());
        assertTrue(g.size() > f.size());
        // the backward pass extends the forward graph: the forward nodes are the same objects
        assertEquals(f.nodes(), g.nodes().subList(0, f.size()));
    }

    @Test
    void aPassThatBreaksTheGraphIsNamed() {
        Pass dropLoss = new Pass() {
            @Override
            public String name() {
                return "drop-nodes";
            }

            @Override
            public Graph run(Graph g) {
                return g.with(g.inputs(), g.params(), g.outputs(), g.loss(), g.gradients(), List.of(), Map.of(),
                        Map.of(), Map.of());
            }
        };
        VerificationException e = assertThrows(VerificationException.class,
                () -> new Pipeline(List.of(new Differentiate(), dropLoss), true).run(forward()));
        assertTrue(e.getMessage().contains("malformed after drop-nodes"), e.getMessage());
        // without verification the same pipeline runs to the end (the emitter would fail later, less clearly)
        assertEquals(3, new Pipeline(List.of(new Differentiate(), dropLoss), false).run(forward()).size());
    }
}
