package dev.adjoint.compiler.opt;

import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Rewriter;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.pass.Pass;
import java.util.ArrayList;
import java.util.List;

/**
 * Constant folding: a scalar computed only from constants becomes a constant, its value computed by the op's
 * own reference evaluation ({@link dev.adjoint.compiler.ir.Op#eval}), the same code the tests use as the
 * oracle. Values are rounded as the generated code would round them: an {@code f32} op reads its operands as
 * {@code float} and its result is rounded to {@code float}, so folding never changes a result. Ops that would
 * fail at run time (an out-of-range label) are left alone, and so are results that are not finite, so that a
 * NaN or an infinity still shows in the code where it arises. Ops whose value depends on the mode (dropout) are
 * never folded.
 */
public final class ConstantFold implements Pass {

    /** Evaluation of constant scalars needs no dim. */
    private static final EvalContext NO_DIMS = new EvalContext() {
        @Override
        public long dimSize(Dim dim) {
            if (!dim.isFixed()) {
                throw new IllegalStateException("constant folding: symbolic dim " + dim);
            }
            return dim.size();
        }

        @Override
        public int[] shape(Shape s) {
            int[] out = new int[s.rank()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) dimSize(s.dim(i));
            }
            return out;
        }
    };

    @Override
    public String name() {
        return "constant-fold";
    }

    @Override
    public Graph run(Graph g) {
        return Rewriter.rebuild(g, (b, old, inputs) -> {
            Double folded = fold(old, inputs);
            return folded == null ? b.add(old.op(), inputs) : b.add(new ConstantOp(folded, old.dtype()));
        });
    }

    /** The value of {@code n} if it is a scalar of constants that folds, else null. */
    static Double fold(Node n, List<Node> inputs) {
        if (inputs.isEmpty() || !n.shape().isScalar() || n.dtype() == DType.BOOL || n.op().modeDependent()) {
            return null;
        }
        List<NdArray> args = new ArrayList<>();
        for (Node in : inputs) {
            if (!(in.op() instanceof ConstantOp c)) {
                return null;
            }
            args.add(NdArray.scalar(round(c.value(), in.dtype())));
        }
        double v;
        try {
            v = n.op().eval(NO_DIMS, n, args).item();
        } catch (RuntimeException e) {
            return null;                                      // it fails at run time too: leave it there
        }
        if (n.dtype() == DType.I32 && (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            return null;                                      // Java's int arithmetic would wrap around
        }
        v = round(v, n.dtype());
        return Double.isFinite(v) ? v : null;
    }

    /** {@code v} as the generated code holds it in {@code t}. */
    private static double round(double v, DType t) {
        return switch (t) {
            case F32 -> (float) v;
            case I32 -> (int) v;
            default -> v;
        };
    }
}
