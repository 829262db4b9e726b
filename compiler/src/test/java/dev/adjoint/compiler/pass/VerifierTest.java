package dev.adjoint.compiler.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per invariant the verifier checks: each malformed graph is named with the stage and the problem. */
class VerifierTest {
    private static final TensorType F64_3 = new TensorType(DType.F64, Shape.of(3));

    /** {@code loss = sum(tanh(x))}, with its pieces. */
    private final GraphBuilder b = new GraphBuilder();
    private final Node x = b.add(new InputOp("x", F64_3));
    private final Node t = b.add(new UnaryOp(UnaryFn.TANH), x);
    private final Node loss = b.add(new ReduceOp(ReduceFn.SUM, List.of(0), false), t);

    private Graph graph(List<Node> nodes, Graph.Output output, Graph.Output lossRoot, Map<Node, Span> spans) {
        return Graph.of("M", null, List.of(), List.of(new Graph.Input("x", x, false, null)), List.of(),
                output == null ? List.of() : List.of(output), lossRoot, nodes, spans, Map.of());
    }

    private Graph good() {
        return graph(b.nodes(), new Graph.Output("y", t, null), new Graph.Output("l", loss, null), Map.of());
    }

    private static String problem(Graph g) {
        VerificationException e = assertThrows(VerificationException.class, () -> Verifier.verify(g, "pass test"));
        assertTrue(e.getMessage().startsWith("graph of model M is malformed after pass test: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aWellFormedGraphPasses() {
        assertEquals(List.of(), Verifier.problems(good()));
    }

    @Test
    void nodesOutOfScheduleOrder() {
        List<Node> reversed = new ArrayList<>(b.nodes());
        Collections.reverse(reversed);
        String m = problem(graph(reversed, null, new Graph.Output("l", loss, null), Map.of()));
        assertTrue(m.contains("is at position 0 of the schedule"), m);
    }

    @Test
    void anInputFromAnotherGraph() {
        GraphBuilder other = new GraphBuilder();
        Node foreign = other.add(new InputOp("x", F64_3));
        Node y = other.add(new UnaryOp(UnaryFn.EXP), foreign);
        List<Node> nodes = new ArrayList<>(b.nodes());
        // y (id 1 in its own builder) claims a place in this graph whose input is not this graph's x
        nodes.set(1, y);
        String m = problem(graph(nodes, null, null, Map.of()));
        assertTrue(m.contains("which is not a node of the graph"), m);
    }

    /** An op whose type rule changed after the node was built: the stored type no longer matches. */
    private static class Fickle implements Op {
        TensorType answer = new TensorType(DType.F64, Shape.of(3));

        @Override
        public String name() {
            return "fickle";
        }

        @Override
        public TensorType infer(List<TensorType> args) {
            return answer;
        }

        @Override
        public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
            return args.get(0);
        }

        @Override
        public CodeBlock lower(LoweringContext ctx, Node y) {
            return CodeBlock.of("");
        }
    }

    @Test
    void aTypeThatNoLongerMatchesItsRule() {
        Fickle op = new Fickle();
        Node f = b.add(op, x);
        op.answer = new TensorType(DType.F32, Shape.of(3));
        String m = problem(graph(b.nodes(), null, null, Map.of()));
        assertTrue(m.contains("has type f64[3] but its op infers f32[3]"), m);
    }

    @Test
    void twoNodesForOneComputation() {
        // Fickle has identity equality, so the builder keeps two equal-looking nodes apart; a real op would merge
        Fickle op = new Fickle();
        String before = problem(graph(addTwice(op), null, null, Map.of()));
        assertTrue(before.contains("are the same computation (not hash-consed)"), before);
    }

    private List<Node> addTwice(Fickle op) {
        GraphBuilder g = new GraphBuilder();
        Node in = g.add(new InputOp("x", F64_3));
        g.add(op, in);
        g.add(new Fickle() {
            @Override
            public String toString() {
                return op.toString();
            }
        }, in);
        return g.nodes();
    }

    @Test
    void aRootOutsideTheGraph() {
        GraphBuilder other = new GraphBuilder();
        Node foreign = other.add(new InputOp("z", F64_3));
        String m = problem(graph(b.nodes(), new Graph.Output("y", foreign, null), null, Map.of()));
        assertTrue(m.contains("output y is %0 = z[input][] : f64[3], which is not a node of the graph"), m);
    }

    @Test
    void aLossThatIsNotAFloatScalar() {
        String m = problem(graph(b.nodes(), null, new Graph.Output("l", t, null), Map.of()));
        assertTrue(m.contains("loss l is f64[3], not a float scalar"), m);
    }

    @Test
    void anInputDeclarationThatIsNotItsLeaf() {
        Graph g = Graph.of("M", null, List.of(), List.of(new Graph.Input("x", t, false, null)), List.of(), List.of(),
                null, b.nodes(), Map.of(), Map.of());
        String m = problem(g);
        assertTrue(m.contains("input x is the node"), m);
    }

    @Test
    void aGradientOfTheWrongType() {
        Node wide = b.add(new BinaryOp(BinaryFn.MUL), loss, loss);
        Graph g = good().with(good().inputs(), List.of(), good().outputs(), good().loss(),
                List.of(new Graph.Gradient("x", x, wide)), b.nodes(), Map.of(), Map.of(), Map.of());
        String m = problem(g);
        assertTrue(m.contains("gradient dx is f64[] but x is f64[3]"), m);
    }

    @Test
    void aSideTableEntryOutsideTheGraph() {
        GraphBuilder other = new GraphBuilder();
        Node foreign = other.add(new InputOp("z", new TensorType(DType.F32, Shape.of(1))));
        Span span = new SourceFile("m.model", "model M {}").spanAt(0, 5);
        String m = problem(graph(b.nodes(), null, null, Map.of(foreign, span)));
        assertTrue(m.contains("the span table has"), m);
    }
}
