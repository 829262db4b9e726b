package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
import dev.adjoint.compiler.eval.Layout;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/** {@code transpose(x, perm)}: axis {@code i} of the result is axis {@code perm[i]} of {@code x}. */
public record TransposeOp(List<Integer> perm) implements Op {

    /** The permutation of {@code .T} on a matrix. */
    public static final TransposeOp MATRIX = new TransposeOp(List.of(1, 0));

    public TransposeOp {
        perm = List.copyOf(perm);
    }

    /**
     * The transpose of a value of shape {@code in} by a permutation as written, whose entries may count
     * from the end ({@code transpose(x, [-1, 0])}).
     */
    public static TransposeOp of(Shape in, List<Long> permAsWritten) {
        List<Integer> p = new ArrayList<>();
        if (permAsWritten.size() != in.rank()) {
            throw wrongLength(in, permAsWritten);
        }
        for (Long a : permAsWritten) {
            p.add(in.normalizeAxis("transpose", a));
        }
        return new TransposeOp(p);
    }

    @Override
    public String name() {
        return "transpose";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        Shape in = args.get(0).shape();
        if (perm.size() != in.rank()) {
            throw wrongLength(in, perm);
        }
        boolean[] seen = new boolean[in.rank()];
        List<Dim> out = new ArrayList<>();
        for (int a : perm) {
            if (a < 0 || a >= in.rank() || seen[a]) {
                throw new ShapeException(1, "transpose: " + perm + " is not a permutation of the axes of " + in
                        + "; it must list each of 0.." + (in.rank() - 1) + " once");
            }
            seen[a] = true;
            out.add(in.dim(a));
        }
        return args.get(0).withShape(new Shape(out));
    }

    private static ShapeException wrongLength(Shape in, List<?> perm) {
        return new ShapeException(1, "transpose: the permutation " + perm + " has " + perm.size()
                + (perm.size() == 1 ? " entry" : " entries") + " but " + in + " has rank " + in.rank());
    }

    @Override
    public String attributes() {
        return "perm=" + perm;
    }

    /** Transpose the adjoint back by the inverse permutation. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        Integer[] inverse = new Integer[perm.size()];
        for (int i = 0; i < perm.size(); i++) {
            inverse[perm.get(i)] = i;
        }
        return v.each(() -> g.transpose(v.dy(), List.of(inverse)));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "transpose: du = transpose(dy) by the inverse permutation";
    }

    /** Axis {@code d} of the result is axis {@code perm[d]} of {@code x}. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        int[] inStrides = Index.strides(x.shape());
        int[] strides = new int[perm.size()];
        for (int d = 0; d < strides.length; d++) {
            strides[d] = inStrides[perm.get(d)];
        }
        return Layout.gather(x, 0, strides, ctx.shape(y.shape()));
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        if (y.dtype() == DType.BOOL) {
            throw JavaCode.unsupported(name() + " of a comparison mask");
        }
        return CodeBlock.of("$T.transpose($L, $L, $L, $L);\n", JavaCode.rt("Transpose"), ctx.ref(y.input(0)),
                ctx.shapeArray(y.input(0).shape()), ctx.ints(perm), ctx.ref(y));
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
