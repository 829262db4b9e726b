package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code a @ b}, NumPy {@code matmul} for ranks up to 2 plus two batched forms:
 * <pre>
 *   [k]       @ [k]       -> []          vector . vector
 *   [k]       @ [k, n]    -> [n]         vector x matrix
 *   [m, k]    @ [k]       -> [m]         matrix x vector
 *   [m, k]    @ [k, n]    -> [m, n]      matrix x matrix
 *   [N, a, b] @ [N, b, c] -> [N, a, c]   batched, same batch size
 *   [N, a, b] @ [b, c]    -> [N, a, c]   batch times one matrix
 * </pre>
 * With {@code transA} ({@code transB}) the first (second) operand is stored transposed: its last two axes are
 * swapped, and the kernel reads it in place. Models never write these; the optimizer's layout folding turns
 * {@code transpose(a) @ b} into {@code matmul[transA](a, b)} so no transpose is materialized. They apply to
 * matrix and batched operands: {@code transA} when both operands have rank 2 or both rank 3, {@code transB}
 * when the second has rank 2 or 3 and the first at least rank 2; not both at once.
 */
public record MatMulOp(boolean transA, boolean transB) implements Op {

    /** The plain product. */
    public MatMulOp() {
        this(false, false);
    }

    /** Whether the operands of these types can be read with these flags (see the class comment). */
    public static boolean canTranspose(boolean transA, boolean transB, TensorType a, TensorType b) {
        int ra = a.rank();
        int rb = b.rank();
        if (transA && transB) {
            return false;
        }
        if (transA) {
            return ra == rb && (ra == 2 || ra == 3);
        }
        if (transB) {
            return (rb == 2 || rb == 3) && ra >= 2 && (rb == 2 || ra == 3);
        }
        return true;
    }

    /** {@code t} with its last two axes swapped. */
    private static TensorType swapped(TensorType t) {
        List<Dim> dims = new ArrayList<>(t.shape().dims());
        int r = dims.size();
        Dim last = dims.get(r - 1);
        dims.set(r - 1, dims.get(r - 2));
        dims.set(r - 2, last);
        return t.withShape(new Shape(dims));
    }

    @Override
    public String attributes() {
        return transA ? "transA" : transB ? "transB" : "";
    }

    static final String SUPPORTED = "supported are [k] @ [k], [k] @ [k, n], [m, k] @ [k], [m, k] @ [k, n],"
            + " [N, a, b] @ [N, b, c] and [N, a, b] @ [b, c]";

    @Override
    public String name() {
        return "matmul";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        if (!canTranspose(transA, transB, args.get(0), args.get(1))) {
            throw new ShapeException(name() + ": " + attributes() + " does not apply to " + args.get(0) + " @ "
                    + args.get(1));
        }
        TensorType a = transA ? swapped(args.get(0)) : args.get(0);
        TensorType b = transB ? swapped(args.get(1)) : args.get(1);
        TypeRules.requireFloat(name(), 0, a);
        TypeRules.requireFloat(name(), 1, b);
        TypeRules.sameDtype(name(), a, b);
        Shape x = a.shape();
        Shape y = b.shape();
        int ra = x.rank();
        int rb = y.rank();
        // the message prefix is built only for an error: infer runs on every rebuild of every pass
        java.util.function.Supplier<String> both = () -> name() + ": " + x + " @ " + y + ": ";
        boolean supported = (ra == 1 || ra == 2) && (rb == 1 || rb == 2) || ra == 3 && (rb == 2 || rb == 3);
        if (!supported) {
            String hint = ra == 0 || rb == 0 ? "; to scale by a scalar use *" : "";
            throw new ShapeException(both.get() + "ranks " + ra + " and " + rb + " are not supported; " + SUPPORTED + hint);
        }
        Dim left = x.dim(ra - 1);
        Dim right = rb == 1 ? y.dim(0) : y.dim(rb - 2);
        if (!left.equals(right)) {
            throw new ShapeException(both.get() + "inner dimensions " + left + " and " + right + " differ");
        }
        if (ra == 3 && rb == 3 && !x.dim(0).equals(y.dim(0))) {
            throw new ShapeException(both.get() + "batch dimensions " + x.dim(0) + " and " + y.dim(0) + " differ");
        }
        Shape out;
        if (ra == 1 && rb == 1) {
            out = Shape.SCALAR;
        } else if (ra == 1) {
            out = Shape.of(y.dim(1));
        } else if (rb == 1) {
            out = Shape.of(x.dim(0));
        } else if (ra == 2) {
            out = Shape.of(x.dim(0), y.dim(1));
        } else {
            out = Shape.of(x.dim(0), x.dim(1), y.dim(rb - 1));
        }
        return a.withShape(out);
    }

    /** Swaps the last two axes of a batch of matrices. */
    private static final List<Integer> BATCH_T = List.of(0, 2, 1);

    /**
     * Every rank case: the 2-D case is the textbook {@code da = dy @ b.T}, {@code db = a.T @ dy}; vectors
     * become outer products (a broadcast multiply) or matrix–vector products; a batch times one matrix folds
     * the batch into the rows for db.
     */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        Node a = v.x(0);
        Node b = v.x(1);
        Node dy = v.dy();
        if (transA) {                      // y = Aᵀ B with A stored transposed: dA = B dyᵀ, dB = A dy
            return v.each(() -> g.op(new MatMulOp(false, true), b, dy), () -> g.matmul(a, dy));
        }
        if (transB) {                      // y = A Bᵀ with B stored transposed: dA = dy B, dB = dyᵀ A
            return v.each(() -> g.matmul(dy, b), () -> {
                if (a.shape().rank() == 3 && b.shape().rank() == 2) {
                    Shape sa = a.shape();
                    Dim rows = sa.dim(0).times(sa.dim(1));
                    Node a2 = g.reshape(a, Shape.of(rows, sa.dim(2)));
                    Node dy2 = g.reshape(dy, Shape.of(rows, dy.shape().dim(2)));
                    return g.op(new MatMulOp(true, false), dy2, a2);
                }
                return g.op(new MatMulOp(true, false), dy, a);
            });
        }
        int ra = a.shape().rank();
        int rb = b.shape().rank();
        if (ra == 1 && rb == 1) {          // [k] . [k] -> []
            return v.each(() -> g.mul(dy, b), () -> g.mul(dy, a));
        }
        if (ra == 1) {                     // [k] @ [k, n] -> [n]
            return v.each(() -> g.matmul(b, dy), () -> g.mul(column(g, a), row(g, dy)));
        }
        if (rb == 1) {                     // [m, k] @ [k] -> [m]
            return v.each(() -> g.mul(column(g, dy), row(g, b)), () -> g.matmul(dy, a));
        }
        if (ra == 2) {                     // [m, k] @ [k, n] -> [m, n]
            return v.each(() -> g.matmul(dy, g.transpose(b, TransposeOp.MATRIX.perm())),
                    () -> g.matmul(g.transpose(a, TransposeOp.MATRIX.perm()), dy));
        }
        if (rb == 3) {                     // [N, a, b] @ [N, b, c] -> [N, a, c]
            return v.each(() -> g.matmul(dy, g.transpose(b, BATCH_T)), () -> g.matmul(g.transpose(a, BATCH_T), dy));
        }
        // [N, a, b] @ [b, c] -> [N, a, c]: db sums a.T @ dy over the batch, i.e. one [b, N*a] @ [N*a, c]
        return v.each(() -> g.matmul(dy, g.transpose(b, TransposeOp.MATRIX.perm())), () -> {
            Shape sa = a.shape();
            Dim rows = sa.dim(0).times(sa.dim(1));
            Node a2 = g.reshape(a, Shape.of(rows, sa.dim(2)));
            Node dy2 = g.reshape(dy, Shape.of(rows, dy.shape().dim(2)));
            return g.matmul(g.transpose(a2, TransposeOp.MATRIX.perm()), dy2);
        });
    }

    /** {@code [k] -> [k, 1]}. */
    private static Node column(GradBuilder g, Node vector) {
        return g.reshape(vector, Shape.of(vector.shape().dim(0), Dim.of(1)));
    }

    /** {@code [k] -> [1, k]}. */
    private static Node row(GradBuilder g, Node vector) {
        return g.reshape(vector, Shape.of(Dim.of(1), vector.shape().dim(0)));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return i == 0 ? "d(A @ B)/dA: dA = dY @ B^T" : "d(A @ B)/dB: dB = A^T @ dY";
    }

    /**
     * Every case is a batch of {@code [m, k] @ [k, n]} products over row-major data: a vector on the left is
     * one row ({@code m = 1}), a vector on the right one column ({@code n = 1}), and a rank-2 right operand in
     * {@code [N, a, b] @ [b, c]} is shared by every batch entry.
     */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray a = transA ? swapLastTwo(args.get(0)) : args.get(0);
        NdArray b = transB ? swapLastTwo(args.get(1)) : args.get(1);
        int ra = a.rank();
        int rb = b.rank();
        int[] x = a.shape();
        int[] w = b.shape();
        int batch = ra == 3 ? x[0] : 1;
        int m = ra == 1 ? 1 : x[ra - 2];
        int k = x[ra - 1];
        int n = rb == 1 ? 1 : w[rb - 1];
        boolean sharedB = rb < 3;
        int kb = rb == 1 ? w[0] : w[rb - 2];
        if (kb != k || rb == 3 && w[0] != batch) {
            throw new IllegalStateException("matmul of " + Arrays.toString(x) + " and " + Arrays.toString(w));
        }
        double[] out = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            int aBase = p * m * k;
            int bBase = sharedB ? 0 : p * k * n;
            int oBase = p * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += a.data()[aBase + i * k + q] * b.data()[bBase + q * n + j];
                    }
                    out[oBase + i * n + j] = s;
                }
            }
        }
        return new NdArray(ctx.shape(y.shape()), out);
    }

    /** {@code x} with its last two axes swapped, as a new array. */
    private static NdArray swapLastTwo(NdArray x) {
        int[] s = x.shape();
        int r = s.length;
        int rows = s[r - 2];
        int cols = s[r - 1];
        int batch = x.size() / Math.max(1, rows * cols);
        int[] out = s.clone();
        out[r - 2] = cols;
        out[r - 1] = rows;
        double[] d = new double[x.size()];
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    d[e * rows * cols + j * rows + i] = x.data()[e * rows * cols + i * cols + j];
                }
            }
        }
        return new NdArray(out, d);
    }

    /**
     * A call of the runtime's {@code MatMul}: {@code matmul} ({@code C = A B}), {@code matmulTransA}
     * ({@code C = Aᵀ B}, A read in place) or {@code matmulTransB} ({@code C = A Bᵀ}), batched for rank 3.
     * A batch of rows times one matrix is one product with the batch folded into the rows.
     */
    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Shape a = y.input(0).shape();
        Shape b = y.input(1).shape();
        CodeBlock x = ctx.ref(y.input(0));
        CodeBlock w = ctx.ref(y.input(1));
        String suffix = transA ? "TransA" : transB ? "TransB" : "";
        if (a.rank() == 3 && b.rank() == 3) {
            Shape out = y.shape();
            CodeBlock k = ctx.dim(transA ? a.dim(1) : a.dim(2));
            return CodeBlock.of("$T.batchedMatmul$L($L, $L, $L, $L, $L, $L, $L, false);\n", JavaCode.rt("MatMul"),
                    suffix, x, w, ctx.ref(y), ctx.dim(out.dim(0)), ctx.dim(out.dim(1)), k, ctx.dim(out.dim(2)));
        }
        if (transA || transB) {
            Shape out = y.shape();
            CodeBlock m = out.rank() == 3 ? ctx.dim(out.dim(0).times(out.dim(1))) : ctx.dim(out.dim(0));
            CodeBlock n = ctx.dim(out.dim(out.rank() - 1));
            CodeBlock k = ctx.dim(transA ? a.dim(0) : a.dim(a.rank() - 1));
            return CodeBlock.of("$T.matmul$L($L, $L, $L, $L, $L, $L, false);\n", JavaCode.rt("MatMul"), suffix, x, w,
                    ctx.ref(y), m, k, n);
        }
        CodeBlock m;
        CodeBlock k = ctx.dim(a.dim(a.rank() - 1));
        CodeBlock cols = b.rank() == 1 ? CodeBlock.of("1") : ctx.dim(b.dim(1));
        if (a.rank() == 1) {
            m = CodeBlock.of("1");
        } else if (a.rank() == 2) {
            m = ctx.dim(a.dim(0));
        } else {
            m = ctx.dim(a.dim(0).times(a.dim(1)));
        }
        return CodeBlock.of("$T.matmul($L, $L, $L, $L, $L, $L, false);\n", JavaCode.rt("MatMul"), x, w, ctx.ref(y), m,
                k, cols);
    }

    /** {@code 2·m·k·n} per product (a multiply and an add per term), times the batch. */
    @Override
    public Dim flops(Node y) {
        Shape a = y.input(0).shape();
        Dim k = transA ? a.dim(a.rank() - 2) : a.dim(a.rank() - 1);
        return y.shape().numel().times(k).times(Dim.of(2));
    }
}
