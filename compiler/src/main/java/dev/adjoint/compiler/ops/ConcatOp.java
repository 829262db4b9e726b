package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
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
import java.util.Optional;

/**
 * {@code concat([a, b, ...], axis=k)} with {@code k} normalized: the tensors, of one element type and one
 * rank, agree on every axis but {@code k}, whose sizes add up ({@code B + B = 2*B}; {@code B + 3} cannot).
 * Argument indices in errors are positions in the list.
 */
public record ConcatOp(int axis) implements Op {

    @Override
    public String name() {
        return "concat";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        if (args.isEmpty()) {
            throw new ShapeException("concat: needs at least one tensor");
        }
        TensorType first = args.get(0);
        TypeRules.requireNumber(name(), 0, first);
        Shape s0 = first.shape();
        if (s0.isScalar()) {
            throw new ShapeException(0, "concat: cannot concatenate the scalar " + first + "; reshape it to [1] first");
        }
        Axes.check(name(), -1, s0, axis);
        Dim total = s0.dim(axis);
        for (int i = 1; i < args.size(); i++) {
            TensorType t = args.get(i);
            TypeRules.requireNumber(name(), i, t);
            TypeRules.sameDtype(name(), i, first, t);
            Shape s = t.shape();
            if (s.rank() != s0.rank()) {
                throw new ShapeException(i, "concat: tensor " + i + " has shape " + s + " of rank " + s.rank()
                        + ", but tensor 0 has shape " + s0 + " of rank " + s0.rank());
            }
            for (int d = 0; d < s.rank(); d++) {
                if (d != axis && !s.dim(d).equals(s0.dim(d))) {
                    throw new ShapeException(i, "concat: shapes " + s0 + " (tensor 0) and " + s + " (tensor " + i
                            + ") differ on axis " + d + " (" + s0.dim(d) + " vs " + s.dim(d) + "); only axis " + axis
                            + " may differ");
                }
            }
            Optional<Dim> sum = total.plus(s.dim(axis));
            if (sum.isEmpty()) {
                throw new ShapeException(i, "concat: cannot join " + s + " (tensor " + i + ") along axis " + axis
                        + ": the size " + total + " so far plus " + s.dim(axis) + " is not a single dimension");
            }
            total = sum.get();
        }
        return first.withShape(s0.withDim(axis, total));
    }

    @Override
    public String attributes() {
        return "axis=" + axis;
    }

    /**
     * Each input's adjoint is its slice of {@code dy} along the axis. When that axis is symbolic, every part's size
     * there is a multiple {@code c_i * M} of one monomial {@code M} (the shape rule accepts nothing else:
     * {@code 2*B + B = 3*B}), so the axis is split as {@code [C, M]} by a reshape, with {@code C} the sum of the
     * {@code c_i}, and each part is the slice {@code [offset_i, offset_i + c_i)} of the fixed {@code C}, reshaped
     * back: row {@code r} of the axis is {@code r = i * M + j}, and part {@code k} holds the rows of
     * {@code offset_k <= i < offset_k + c_k}.
     */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        int n = v.arity();
        if (n == 1) {
            return v.each(v::dy);
        }
        Node[] out = new Node[n];
        Dim first = v.shape(0).dim(axis);
        Dim unit = new Dim(1, first.symbols());                   // M; 1 when the axis is fixed
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += v.shape(i).dim(axis).coefficient();
        }
        Node parts = v.dy();
        int sliced = axis;
        if (!unit.isOne()) {
            List<Dim> split = new ArrayList<>(v.y().shape().dims());
            split.set(axis, unit);
            split.add(axis, Dim.of(total));
            parts = g.reshape(v.dy(), new Shape(split));
        }
        long start = 0;
        for (int i = 0; i < n; i++) {
            long size = v.shape(i).dim(axis).coefficient();
            if (v.needs(i)) {
                Node part = g.op(new SliceOp(List.of(sliced), List.of(start), List.of(start + size)), parts);
                out[i] = g.reshape(part, v.shape(i));
            }
            start += size;
        }
        return out;
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "concat: du = the slice of dy this input fills";
    }

    /** The tensors joined along {@code axis}: for each position before the axis, each tensor's block in turn. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        int[] outShape = ctx.shape(y.shape());
        int outer = Index.outer(outShape, axis);
        double[] out = new double[Index.size(outShape)];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (NdArray x : args) {
                int block = x.shape()[axis] * Index.inner(x.shape(), axis);
                System.arraycopy(x.data(), o * block, out, at, block);
                at += block;
            }
        }
        return new NdArray(outShape, out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        if (y.dtype() == DType.BOOL) {
            throw JavaCode.unsupported(name() + " of a comparison mask");
        }
        List<List<Dim>> shapes = new ArrayList<>();
        for (Node in : y.inputs()) {
            shapes.add(in.shape().dims());
        }
        return CodeBlock.of("$T.concat($L, $L, $L, $L);\n", JavaCode.rt("Concat"), ctx.arrays(y, y.inputs()),
                ctx.dimsTable(shapes), axis, ctx.ref(y));
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
