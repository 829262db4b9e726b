package dev.adjoint.compiler.opt;

import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Rewriter;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.pass.Pass;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Common-subexpression elimination across the forward and backward passes. Hash-consing already gives one node
 * per distinct computation; this pass also merges computations that differ only in the order of the operands of
 * a commutative op ({@code a * b} and {@code b * a}, {@code a + b}, {@code max}, {@code min}, {@code ==},
 * {@code !=}), which are bit-identical in IEEE arithmetic, keeping the first one. It runs after the other
 * rewrites, which can make such twins.
 */
public final class CommonSubexpressions implements Pass {

    @Override
    public String name() {
        return "cse";
    }

    private record Key(Op op, int first, int second) {
    }

    static boolean commutative(Op op) {
        if (op instanceof BinaryOp b) {
            return b.fn() == BinaryFn.ADD || b.fn() == BinaryFn.MUL || b.fn() == BinaryFn.MAX
                    || b.fn() == BinaryFn.MIN;
        }
        return op instanceof CompareOp c && (c.fn() == CompareFn.EQ || c.fn() == CompareFn.NE);
    }

    @Override
    public Graph run(Graph g) {
        Map<Key, Node> seen = new HashMap<>();
        int[] merged = {0};
        Graph out = Rewriter.rebuild(g, (b, old, inputs) -> {
            int before = b.size();
            Node n = b.add(old.op(), inputs);
            boolean existed = b.size() == before;
            if (!commutative(old.op())) {
                if (existed && !inputs.isEmpty()) {
                    merged[0]++;
                }
                return n;
            }
            int x = inputs.get(0).id();
            int y = inputs.get(1).id();
            Key key = new Key(old.op(), Math.min(x, y), Math.max(x, y));
            Node first = seen.putIfAbsent(key, n);
            if (first != null && first != n) {
                merged[0]++;
                return first;
            }
            if (existed) {
                merged[0]++;
            }
            return n;
        });
        return out.withRewrites(Map.of("cse", merged[0]));
    }

    /** The ops this pass treats as commutative (for tests). */
    static List<String> commutativeOps() {
        return List.of("add", "mul", "max", "min", "equal", "not_equal");
    }
}
