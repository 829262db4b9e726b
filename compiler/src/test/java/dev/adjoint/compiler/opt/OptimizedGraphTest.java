package dev.adjoint.compiler.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.GradientResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the optimizer makes of the digits MLP, and the NaN-safe masks end to end. */
class OptimizedGraphTest {

    private static CompiledModel compile(String name, String text) {
        Compilation c = Compiler.compile(new SourceFile(name, text), Compiler.Options.of("p"));
        assertTrue(c.ok(), () -> c.diagnostics().format());
        return c.models().get(0);
    }

    /**
     * The backward pass of the digits MLP, derived by hand (with {@code z1 = x W1 + b1}, {@code h = relu(z1)},
     * {@code logits = h W2 + b2}, {@code nll = mean(cross_entropy(logits, y))}):
     * <pre>
     *   s       = 1 / B                                  dim_value, div                        2
     *   onehot  = [y == column], read by index           reshape, check, arange, equal, cast   5
     *   dlogits = (probs - onehot) * s                   sub, mul                              2
     *   db2     = sum(dlogits, 0)                                                              1
     *   dW2     = hᵀ dlogits,  dh = dlogits W2ᵀ          two products, no transpose            2
     *   dz1     = where(z1 > 0, dh, 0)                   greater, where                        2
     *   db1     = sum(dz1, 0),  dW1 = xᵀ dz1                                                   2
     * </pre>
     * 16 nodes (and the constants 1 and 0), the one-hot row written as a comparison that keeps the labels' range
     * check. The optimized graph may not have more, and has no transpose, broadcast or one-hot left.
     */
    @Test
    void theDigitsGradientIsNoLargerThanAHandDerivedOne() throws IOException {
        CompiledModel m = compile("digits.model", Files.readString(Path.of("../samples/models/digits.model")));
        Graph g = m.stage("optimized");
        BitSet forward = reachable(g.forwardRoots());
        int backward = 0;
        int constants = 0;
        for (Node n : g.nodes()) {
            assertFalse(n.op() instanceof TransposeOp || n.op() instanceof BroadcastOp || n.op() instanceof OneHotOp,
                    n.toString());
            if (forward.get(n.id()) || n.op() instanceof InputOp || n.op() instanceof ParamOp) {
                continue;
            }
            if (n.op() instanceof ConstantOp) {
                constants++;
            } else {
                backward++;
            }
        }
        assertTrue(backward <= 16, "backward nodes: " + backward + "\n" + g);
        assertTrue(constants <= 2, "constants: " + constants);
        String java = m.javaSource();
        assertFalse(java.contains("Transpose.transpose") || java.contains("Broadcast.broadcastTo")
                || java.contains("oneHot"), java);
    }

    private static BitSet reachable(List<Node> roots) {
        BitSet seen = new BitSet();
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!seen.get(n.id())) {
                seen.set(n.id());
                stack.addAll(n.inputs());
            }
        }
        return seen;
    }

    private static final String SQRT_WHERE = """
            model SafeSqrt {
              input grad x : f64[3]
              loss l = sum(where(x > 0, sqrt(x), x)) + sum(where(x > 1, log(x - 1), 0 * x))
            }
            """;

    /**
     * {@code sum(where(x > 0, sqrt(x), x))} at {@code x < 0}: the untaken branch's derivative {@code 0.5 / sqrt(x)}
     * is NaN there. The gradient graph as differentiated gives NaN (as PyTorch and JAX do); the optimized graph and
     * the generated code give the exact gradient.
     */
    @Test
    void nanSafeMasksKeepTheUntakenBranchOutOfTheGradient() {
        CompiledModel m = compile("safe.model", SQRT_WHERE);
        Map<String, NdArray> at = Map.of("x", NdArray.vector(-1, 4, 0.5));
        NdArray raw = TranslationValidationTest.evaluate(m.stage("gradient"), Map.of(), at).get("gradient x");
        assertTrue(Double.isNaN(raw.data()[0]), raw.toString());
        NdArray safe = TranslationValidationTest.evaluate(m.stage("optimized"), Map.of(), at).get("gradient x");
        assertEquals(List.of(1.0, 0.25 + 1 / 3.0, 0.5 / Math.sqrt(0.5)), List.of(safe.data()[0], safe.data()[1],
                safe.data()[2]));
        AdjointModel live = m.load(0);
        GradientResult r = live.gradient(Map.of("x", DoubleTensor.wrap(new double[] {-1, 4, 0.5}, 3)));
        double[] dx = ((DoubleTensor) r.gradients().get("x")).data();
        assertEquals(1.0, dx[0]);
        assertEquals(0.25 + 1 / 3.0, dx[1], 1e-15);
        assertTrue(m.graph().rewrites().keySet().stream().anyMatch(k -> k.startsWith("mask-through-")));
    }
}
