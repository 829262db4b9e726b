package dev.adjoint.compiler.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.Elaborator;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import org.junit.jupiter.api.Test;

/** A 500-layer model is an ordinary input: it elaborates and differentiates far inside the node limit. */
class DeepModelTest {

    @Test
    void fiveHundredLayersElaborateAndDifferentiate() {
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile("deep500.model", """
                fn layer(h, W, b) = tanh(h @ W + b)
                model Deep500 {
                  const L = 500
                  dim B
                  input x : f32[B, 16]
                  input y : f32[B, 16]
                  param W[L] : f32[16, 16] = glorot_uniform
                  param b[L] : f32[16] = zeros
                  h = x
                  for i in 0..L { h = layer(h, W[i], b[i]) }
                  loss = mse(h, y)
                }
                """));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        ModelGraph m = r.models().get(0);
        assertEquals(1000, m.params().size());
        Gradients g = Autodiff.of(m.graph());
        for (Graph.Param p : m.params()) {
            Node d = g.of(p.node());
            assertNotNull(d, p.name());
            assertEquals(p.node().type(), d.type(), p.name());
        }
        int nodes = new Differentiate().run(m.graph()).size();   // forward and backward
        assertTrue(nodes < Elaborator.MAX_NODES / 10, "nodes: " + nodes);
    }
}
