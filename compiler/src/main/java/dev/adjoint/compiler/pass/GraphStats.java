package dev.adjoint.compiler.pass;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Poly;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What one stage costs, as {@code show --stats} prints it: the nodes its roots need (leaves and constants not
 * counted), an estimate of their floating-point operations ({@link dev.adjoint.compiler.ir.Op#flops}) and the
 * bytes of the intermediate values they produce (every computed value that is not an alias of another), each a
 * polynomial in the model's dims.
 */
public record GraphStats(int nodes, Poly flops, Poly bytes) {

    /** The statistics of {@code g}. */
    public static GraphStats of(Graph g) {
        BitSet live = new BitSet();
        List<Node> stack = new ArrayList<>(g.roots());
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!live.get(n.id())) {
                live.set(n.id());
                stack.addAll(n.inputs());
            }
        }
        int nodes = 0;
        Poly flops = Poly.ZERO;
        Poly bytes = Poly.ZERO;
        for (int id = live.nextSetBit(0); id >= 0; id = live.nextSetBit(id + 1)) {
            Node n = g.nodes().get(id);
            if (n.op() instanceof InputOp || n.op() instanceof ParamOp || n.op() instanceof ConstantOp) {
                continue;
            }
            nodes++;
            flops = flops.plus(n.op().flops(n));
            if (n.op().aliasedInput(n) < 0) {
                bytes = bytes.plus(n.shape().numel().times(Dim.of(elementBytes(n.dtype()))));
            }
        }
        return new GraphStats(nodes, flops, bytes);
    }

    /** Bytes per element as the generated Java stores it. */
    public static int elementBytes(DType t) {
        return switch (t) {
            case F32, I32 -> 4;
            case F64 -> 8;
            case BOOL -> 1;
        };
    }
}
