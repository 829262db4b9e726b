package dev.adjoint.compiler.opt;

import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.ElementwiseOp;
import dev.adjoint.compiler.ops.MatMulOp;
import dev.adjoint.compiler.ops.TransposeOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Layout folding: values are read in the layout they have instead of being copied into another one.
 * <ul>
 *   <li>{@code transpose-into-matmul}: {@code transpose(a) @ b} reads {@code a} in place
 *       ({@code matmul[transA]}), {@code a @ transpose(b)} likewise ({@code matmul[transB]}); the transposed
 *       copy is never made. The backward pass of every matrix product has two such transposes.</li>
 *   <li>{@code broadcast-into-elementwise}: an elementwise op reads a broadcast operand by index (NumPy
 *       broadcasting is part of every elementwise op), so {@code broadcast(x)} feeding one is dropped and no
 *       repeated copy is made.</li>
 * </ul>
 * Both are exact.
 */
public final class LayoutFold extends RulePass {

    public static final List<Rule> RULES = List.of(
            new Rule("transpose-into-matmul", LayoutFold::transposeIntoMatmul),
            new Rule("broadcast-into-elementwise", LayoutFold::broadcastIntoElementwise));

    public LayoutFold() {
        super("layout", RULES);
    }

    /** True when {@code t} swaps the last two axes and keeps the others. */
    private static boolean swapsLastTwo(Node t) {
        if (!(t.op() instanceof TransposeOp op)) {
            return false;
        }
        List<Integer> p = op.perm();
        int r = p.size();
        if (r < 2 || p.get(r - 1) != r - 2 || p.get(r - 2) != r - 1) {
            return false;
        }
        for (int i = 0; i < r - 2; i++) {
            if (p.get(i) != i) {
                return false;
            }
        }
        return true;
    }

    private static Node transposeIntoMatmul(GradBuilder g, Node n) {
        if (!(n.op() instanceof MatMulOp m) || m.transA() || m.transB()) {
            return null;
        }
        Node a = n.input(0);
        Node b = n.input(1);
        if (swapsLastTwo(b) && MatMulOp.canTranspose(false, true, a.type(), b.input(0).type())) {
            return g.op(new MatMulOp(false, true), a, b.input(0));
        }
        if (swapsLastTwo(a) && MatMulOp.canTranspose(true, false, a.input(0).type(), b.type())) {
            return g.op(new MatMulOp(true, false), a.input(0), b);
        }
        return null;
    }

    private static Node broadcastIntoElementwise(GradBuilder g, Node n) {
        if (!(n.op() instanceof ElementwiseOp)) {
            return null;
        }
        List<Node> inputs = new ArrayList<>(n.inputs());
        boolean changed = false;
        for (int i = 0; i < inputs.size(); i++) {
            Node in = inputs.get(i);
            if (in.op() instanceof BroadcastOp) {
                inputs.set(i, in.input(0));
                List<TensorType> types = new ArrayList<>();
                inputs.forEach(x -> types.add(x.type()));
                try {
                    if (n.op().infer(types).equals(n.type())) {
                        changed = true;
                        continue;
                    }
                } catch (ShapeException e) {
                    // the broadcast is needed to match the other operands
                }
                inputs.set(i, in);
            }
        }
        return changed ? g.op(n.op(), inputs.toArray(new Node[0])) : null;
    }
}
