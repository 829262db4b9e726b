package dev.adjoint.compiler.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.MatMulOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.WhereOp;
import dev.adjoint.compiler.pass.Pass;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per rewrite rule of every rule table: the rule fires on it, and the values do not change. */
class RulesTest {

    record Case(Pass pass, String rule, Function<RuleCases, Node> build) {
        @Override
        public String toString() {
            return pass.name() + ": " + rule;
        }
    }

    private static Node c(RuleCases g, double v) {
        return g.add(new ConstantOp(v, DType.F64));
    }

    private static Node bin(RuleCases g, BinaryFn fn, Node a, Node b) {
        return g.add(new BinaryOp(fn), a, b);
    }

    private static Node un(RuleCases g, UnaryFn fn, Node a) {
        return g.add(new UnaryOp(fn), a);
    }

    private static Node mask(RuleCases g) {
        return g.add(new CompareOp(CompareFn.GT), g.x, c(g, 0));
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    private static void add(Pass pass, String rule, Function<RuleCases, Node> build) {
        CASES.put(pass.name() + "/" + rule, new Case(pass, rule, build));
    }

    static {
        Simplify s = new Simplify();
        add(s, "constant-fold", g -> bin(g, BinaryFn.ADD, g.x, bin(g, BinaryFn.DIV, c(g, 1), c(g, 4))));
        add(s, "mul-by-one", g -> bin(g, BinaryFn.MUL, g.x, c(g, 1)));
        add(s, "add-zero", g -> bin(g, BinaryFn.ADD, c(g, 0), g.x));
        add(s, "sub-zero", g -> bin(g, BinaryFn.SUB, g.x, c(g, 0)));
        add(s, "div-by-one", g -> bin(g, BinaryFn.DIV, g.x, c(g, 1)));
        add(s, "neg-neg", g -> un(g, UnaryFn.NEG, un(g, UnaryFn.NEG, g.x)));
        add(s, "where-same-branches", g -> g.add(new WhereOp(), mask(g), g.x, g.x));
        add(s, "mul-by-zero-finite", g -> bin(g, BinaryFn.MUL, g.add(new CastOp(DType.F64), mask(g)), c(g, 0)));
        add(s, "transpose-of-transpose", g -> g.add(TransposeOp.MATRIX, g.add(TransposeOp.MATRIX, g.x)));
        add(s, "transpose-identity", g -> g.add(new TransposeOp(List.of(0, 1)), g.x));
        add(s, "pow-two-as-square", g -> bin(g, BinaryFn.POW, g.x, c(g, 2)));
        add(s, "elementwise-of-broadcasts", g -> bin(g, BinaryFn.MUL, g.add(new BroadcastOp(Shape.of(2, 3)), g.v),
                g.add(new BroadcastOp(Shape.of(3)), g.s)));
        add(s, "reshape-of-reshape", g -> g.add(new ReshapeOp(Shape.of(3, 2)), g.add(new ReshapeOp(Shape.of(6)), g.x)));
        add(s, "reshape-identity", g -> g.add(new ReshapeOp(Shape.of(2, 3)), g.x));
        add(s, "broadcast-of-broadcast", g -> g.add(new BroadcastOp(Shape.of(2, 3)),
                g.add(new BroadcastOp(Shape.of(3)), g.s)));
        add(s, "broadcast-identity", g -> g.add(new BroadcastOp(Shape.of(2, 3)), g.x));
        add(s, "reshape-of-scalar-broadcast", g -> g.add(new ReshapeOp(Shape.of(2, 3)),
                g.add(new BroadcastOp(Shape.of(6)), g.s)));
        add(s, "sum-of-broadcast", g -> g.add(new ReduceOp(ReduceFn.SUM, List.of(0), false),
                g.add(new BroadcastOp(Shape.of(2, 3)), g.v)));
        add(s, "log-of-softmax", g -> un(g, UnaryFn.LOG, g.add(new SoftmaxOp(1), g.x)));
        add(s, "log-of-sigmoid", g -> un(g, UnaryFn.LOG, un(g, UnaryFn.SIGMOID, g.x)));
        add(s, "one-hot-as-comparison", g -> g.add(new OneHotOp(3, DType.F64), g.n));

        NanSafeMasks m = new NanSafeMasks();
        add(m, "mask-through-mul", g -> bin(g, BinaryFn.MUL, g.v, g.add(new WhereOp(), mask(g), g.x, c(g, 0))));
        add(m, "mask-through-div", g -> bin(g, BinaryFn.DIV, g.add(new WhereOp(), mask(g), c(g, 0), g.x), g.v));
        add(m, "mask-through-neg", g -> un(g, UnaryFn.NEG, g.add(new WhereOp(), mask(g), g.x, c(g, 0))));

        LayoutFold l = new LayoutFold();
        add(l, "transpose-into-matmul", g -> g.add(new MatMulOp(), g.add(TransposeOp.MATRIX, g.x), g.x));
        add(l, "broadcast-into-elementwise", g -> bin(g, BinaryFn.ADD, g.x, g.add(new BroadcastOp(Shape.of(2, 3)), g.v)));
    }

    static Stream<Case> cases() {
        return CASES.values().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleFiresAndKeepsTheValues(Case c) {
        RuleCases g = new RuleCases();
        c.pass().run(g.graph(g.x));                     // a graph with nothing to rewrite stays as it is
        c.build().apply(g);
        RuleCases fresh = new RuleCases();
        fresh.check(c.pass(), c.rule(), c.build().apply(fresh));
    }

    @Test
    void everyRuleOfEveryTableHasACase() {
        Set<String> rules = new HashSet<>();
        for (RulePass p : List.of(new Simplify(), new NanSafeMasks(), new LayoutFold())) {
            p.rules().forEach(r -> rules.add(p.name() + "/" + r.name()));
        }
        assertEquals(rules, CASES.keySet());
    }

    @Test
    void aComputedFloatTimesZeroIsNotZeroed() {
        RuleCases g = new RuleCases();
        Graph after = new Simplify().run(g.graph(bin(g, BinaryFn.MUL, g.x, c(g, 0))));
        assertFalse(after.rewrites().containsKey("mul-by-zero-finite"), "x * 0 is NaN where x is: keep it");
    }

    @Test
    void transposesFoldIntoEveryMatmulForm() {
        RuleCases g = new RuleCases();
        // a matrix times a transposed matrix, a transposed batch times a batch, a batch of rows times a transposed matrix
        Node right = g.add(new MatMulOp(), g.x, g.add(TransposeOp.MATRIX, g.add(TransposeOp.MATRIX, g.p)));
        Node batchedA = g.add(new MatMulOp(), g.add(new TransposeOp(List.of(0, 2, 1)), g.q),
                g.add(new ReshapeOp(Shape.of(4, 2, 1)), g.add(new BroadcastOp(Shape.of(8)), g.s)));
        Node batchRows = g.add(new MatMulOp(), g.q, g.add(TransposeOp.MATRIX,
                g.add(new BroadcastOp(Shape.of(2, 3)), g.s)));
        Node all = bin(g, BinaryFn.ADD, g.add(new ReduceOp(ReduceFn.SUM, List.of(0, 1), false), right),
                bin(g, BinaryFn.ADD, g.add(new ReduceOp(ReduceFn.SUM, List.of(0, 1, 2), false), batchedA),
                        g.add(new ReduceOp(ReduceFn.SUM, List.of(0, 1, 2), false), batchRows)));
        Graph after = g.check(new LayoutFold(), "transpose-into-matmul", all);
        long flagged = after.nodes().stream().filter(n -> n.op() instanceof MatMulOp op && (op.transA() || op.transB()))
                .count();
        assertEquals(3, flagged, after.toString());
        assertTrue(after.nodes().stream().noneMatch(n -> n.op() instanceof MatMulOp op && op.transA() && op.transB()));
    }
}
