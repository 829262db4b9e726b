package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The adjoint of a {@link SliceOp}: a tensor of shape {@code to}, zero everywhere except the sliced positions,
 * which hold the input. {@code axes}, {@code starts} and {@code steps} are those of the slice; the input's shape
 * must be {@code to} with each listed axis shrunk to the slice's length. Made by the differentiator.
 */
public record PadOp(Shape to, List<Integer> axes, List<Long> starts, List<Long> steps) implements Op {

    public PadOp {
        Objects.requireNonNull(to, "to");
        axes = List.copyOf(axes);
        starts = List.copyOf(starts);
        steps = List.copyOf(steps);
        if (axes.size() != starts.size() || axes.size() != steps.size()) {
            throw new IllegalArgumentException("axes, starts and steps differ in length: " + axes + " " + starts
                    + " " + steps);
        }
    }

    /** A pad into a contiguous region (the adjoint of a slice without steps). */
    public PadOp(Shape to, List<Integer> axes, List<Long> starts) {
        this(to, axes, starts, SliceOp.ones(axes.size()));
    }

    /** The pad that undoes {@code slice} on an input of shape {@code in}. */
    public static PadOp undo(SliceOp slice, Shape in) {
        return new PadOp(in, slice.axes(), slice.starts(), slice.steps());
    }

    /** True when some axis has a step other than 1. */
    boolean strided() {
        return steps.stream().anyMatch(s -> s != 1);
    }

    @Override
    public String name() {
        return "pad";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        Shape in = args.get(0).shape();
        if (in.rank() != to.rank()) {
            throw new ShapeException(0, "pad: " + in + " and " + to + " differ in rank");
        }
        Axes.checkSortedDistinct(name(), -1, to, axes);
        for (int axis = 0; axis < to.rank(); axis++) {
            int i = axes.indexOf(axis);
            Dim target = to.dim(axis);
            if (i < 0) {
                if (!in.dim(axis).equals(target)) {
                    throw new ShapeException(0, "pad: " + in + " does not fit in " + to + " on axis " + axis);
                }
            } else if (!target.isFixed() || !in.dim(axis).isFixed() || starts.get(i) < 0 || steps.get(i) < 1
                    || starts.get(i) + (in.dim(axis).size() - 1) * steps.get(i) >= target.size()) {
                throw new ShapeException(0, "pad: " + in + " at offset " + starts.get(i) + " in steps of "
                        + steps.get(i) + " does not fit in " + to + " on axis " + axis);
            }
        }
        return args.get(0).withShape(to);
    }

    @Override
    public String attributes() {
        return "to=" + to + ", axes=" + axes + ", starts=" + starts + (strided() ? ", steps=" + steps : "");
    }

    /** The adjoint of a pad (itself the adjoint of a slice) is the slice of the padded region. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        List<Long> ends = new ArrayList<>();
        for (int i = 0; i < axes.size(); i++) {
            ends.add(starts.get(i) + (v.shape(0).dim(axes.get(i)).size() - 1) * steps.get(i) + 1);
        }
        return v.each(() -> g.op(new SliceOp(axes, starts, ends, steps), v.dy()));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "pad: du = the slice of dy that the input fills";
    }

    /** Zeros of the result's shape with {@code x} placed at {@code starts}, in {@code steps}, on the listed axes. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        int[] outShape = ctx.shape(to);
        int[] strides = Index.strides(outShape);
        int first = 0;
        for (int i = 0; i < axes.size(); i++) {
            first += Math.toIntExact(starts.get(i)) * strides[axes.get(i)];
        }
        for (int i = 0; i < axes.size(); i++) {
            strides[axes.get(i)] *= Math.toIntExact(steps.get(i));
        }
        double[] out = new double[Index.size(outShape)];
        int[] index = new int[x.rank()];
        for (int k = 0; k < x.size(); k++) {
            out[first + Index.dot(index, strides)] = x.data()[k];
            Index.next(index, x.shape());
        }
        return new NdArray(outShape, out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        if (!y.dtype().isFloat()) {
            throw JavaCode.unsupported("pad of " + y.dtype());
        }
        Shape in = y.input(0).shape();
        if (strided()) {
            return CodeBlock.of("$T.sliceBackward($L, $L, $L, $L, $L, $L);\n", JavaCode.rt("StridedSlices"),
                    ctx.ref(y.input(0)), ctx.shapeArray(to), ctx.ints(SliceOp.perAxis(to.rank(), axes, starts, 0)),
                    ctx.ints(SliceOp.perAxis(to.rank(), axes, steps, 1)), ctx.shapeArray(in), ctx.ref(y));
        }
        List<Dim> from = new ArrayList<>();
        List<Dim> until = new ArrayList<>();
        for (int a = 0; a < to.rank(); a++) {
            int k = axes.indexOf(a);
            long start = k < 0 ? 0 : starts.get(k);
            from.add(Dim.of(start));
            until.add(k < 0 ? to.dim(a) : Dim.of(start + in.dim(a).size()));
        }
        return CodeBlock.of("$T.sliceBackward($L, $L, $L, $L, $L, false);\n", JavaCode.rt("Slices"),
                ctx.ref(y.input(0)), ctx.shapeArray(to), ctx.dims(from), ctx.dims(until), ctx.ref(y));
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
