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
     * Each input's adjoint is its slice of {@code dy} along the axis. When that axis is symbolic but every
     * input has the same size {@code d} there ({@code B + B = 2*B}), the axis is split as {@code [n, d]} by a
     * reshape so the slice is on the fixed {@code n}.
     */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        int n = v.arity();
        if (n == 1) {
            return v.each(v::dy);
        }
        Node[] out = new Node[n];
        boolean fixed = true;
        boolean equal = true;
        for (int i = 0; i < n; i++) {
            fixed &= v.shape(i).dim(axis).isFixed();
            equal &= v.shape(i).dim(axis).equals(v.shape(0).dim(axis));
        }
        if (fixed) {
            long start = 0;
            for (int i = 0; i < n; i++) {
                long size = v.shape(i).dim(axis).size();
                if (v.needs(i)) {
                    out[i] = g.op(new SliceOp(List.of(axis), List.of(start), List.of(start + size)), v.dy());
                }
                start += size;
            }
            return out;
        }
        if (!equal) {
            throw new UnsupportedOperationException("concat: cannot differentiate a concatenation along the symbolic"
                    + " axis " + axis + " of " + v.y().shape() + " whose parts have different sizes");
        }
        List<Dim> split = new ArrayList<>(v.y().shape().dims());
        split.set(axis, v.shape(0).dim(axis));
        split.add(axis, Dim.of(n));
        Node parts = g.reshape(v.dy(), new Shape(split));
        for (int i = 0; i < n; i++) {
            if (v.needs(i)) {
                Node part = g.op(new SliceOp(List.of(axis), List.of((long) i), List.of((long) i + 1)), parts);
                out[i] = g.reshape(part, v.shape(i));
            }
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
