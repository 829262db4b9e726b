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

/**
 * {@code x[a:b, :]} and {@code x[a:b:s]} with normalized bounds: on each listed axis (strictly increasing, of fixed
 * size {@code n}) the elements {@code starts[i]}, {@code starts[i] + steps[i]}, ... below {@code ends[i]}, where
 * {@code 0 <= start < end <= n} and {@code step >= 1}. Axes not listed are taken whole. Build it from written
 * bounds with {@link #resolve}, which also puts each end just after the last element taken, so that two ways of
 * writing one slice are one node.
 */
public record SliceOp(List<Integer> axes, List<Long> starts, List<Long> ends, List<Long> steps) implements Op {

    public SliceOp {
        axes = List.copyOf(axes);
        starts = List.copyOf(starts);
        ends = List.copyOf(ends);
        steps = List.copyOf(steps);
        if (axes.size() != starts.size() || axes.size() != ends.size() || axes.size() != steps.size()) {
            throw new IllegalArgumentException("axes, starts, ends and steps differ in length: " + axes + " " + starts
                    + " " + ends + " " + steps);
        }
    }

    /** A slice without steps. */
    public SliceOp(List<Integer> axes, List<Long> starts, List<Long> ends) {
        this(axes, starts, ends, ones(axes.size()));
    }

    static List<Long> ones(int n) {
        return java.util.Collections.nCopies(n, 1L);
    }

    /** True when some axis has a step other than 1. */
    public boolean strided() {
        return steps.stream().anyMatch(s -> s != 1);
    }

    /** The number of elements {@code start, start + step, ...} below {@code end}. */
    static long count(long start, long end, long step) {
        return (end - start + step - 1) / step;
    }

    /**
     * The slice of a value of shape {@code in} by bounds as written, one pair per written axis
     * ({@code x[1:, :-2]}): null is an open bound, a negative bound counts from the end. Axes taken whole
     * are left out of the result, so {@code x[:, 0:n]} on {@code [B, n]} is the identity slice.
     *
     * @throws ShapeException for more slices than axes, an out-of-range bound, an empty slice, or a bound
     *     on an axis of symbolic size
     */
    public static SliceOp resolve(Shape in, List<Long> lo, List<Long> hi) {
        return resolve(in, lo, hi, java.util.Collections.nCopies(lo.size(), null));
    }

    /**
     * As {@link #resolve(Shape, List, List)}, with a step per written axis ({@code x[::2]}); a null step is 1.
     *
     * @throws ShapeException also for a step below 1
     */
    public static SliceOp resolve(Shape in, List<Long> lo, List<Long> hi, List<Long> step) {
        if (lo.size() != hi.size() || lo.size() != step.size()) {
            throw new IllegalArgumentException("lo, hi and step differ in length: " + lo + " " + hi + " " + step);
        }
        if (lo.size() > in.rank()) {
            throw new ShapeException("slice: " + lo.size() + (lo.size() == 1 ? " slice" : " slices") + " for " + in
                    + ", which has only " + in.rank()
                    + (in.rank() == 1 ? " axis" : " axes"));
        }
        List<Integer> axes = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        for (int i = 0; i < lo.size(); i++) {
            Long a = lo.get(i);
            Long b = hi.get(i);
            long s = step.get(i) == null ? 1 : step.get(i);
            Dim d = in.dim(i);
            if (s < 1) {
                throw new ShapeException("slice: the step of " + text(a, b, step.get(i)) + " on axis " + i
                        + " must be a positive integer, got " + s + (s < 0 ? " (negative steps are not supported)"
                        : ""));
            }
            if ((a == null || a == 0) && b == null && s == 1) {
                continue;
            }
            if (!d.isFixed()) {
                throw new ShapeException("slice: axis " + i + " of " + in + " has the symbolic size " + d
                        + " and can only be taken whole (:), not " + text(a, b, step.get(i)));
            }
            long n = d.size();
            long start = a == null ? 0 : bound(a, i, n);
            long end = b == null ? n : bound(b, i, n);
            if (start >= end) {
                throw new ShapeException("slice: " + text(a, b, step.get(i)) + " selects nothing on axis " + i
                        + " of size " + n);
            }
            long taken = count(start, end, s);
            long effective = taken == 1 ? 1 : s;
            end = start + (taken - 1) * effective + 1;          // just after the last element taken
            if (start == 0 && end == n && effective == 1) {
                continue;
            }
            axes.add(i);
            starts.add(start);
            ends.add(end);
            steps.add(effective);
        }
        return new SliceOp(axes, starts, ends, steps);
    }

    private static long bound(long written, int axis, long n) {
        if (written < -n || written > n) {
            throw new ShapeException("slice: bound " + written + " is out of range for axis " + axis + " of size " + n);
        }
        return written < 0 ? written + n : written;
    }

    private static String text(Long a, Long b, Long step) {
        return (a == null ? "" : a.toString()) + ":" + (b == null ? "" : b.toString())
                + (step == null ? "" : ":" + step);
    }

    @Override
    public String name() {
        return "slice";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        Shape in = args.get(0).shape();
        Axes.checkSortedDistinct(name(), 0, in, axes);
        Shape out = in;
        for (int i = 0; i < axes.size(); i++) {
            int axis = axes.get(i);
            Dim d = in.dim(axis);
            if (!d.isFixed()) {
                throw new ShapeException("slice: axis " + axis + " of " + in + " has the symbolic size " + d
                        + " and can only be taken whole");
            }
            long start = starts.get(i);
            long end = ends.get(i);
            long step = steps.get(i);
            if (start < 0 || start >= end || end > d.size() || step < 1) {
                throw new ShapeException("slice: " + start + ":" + end + (step == 1 ? "" : ":" + step)
                        + " is not a non-empty range" + (step == 1 ? "" : " with a positive step") + " within axis "
                        + axis + " of size " + d.size() + " in " + in);
            }
            out = out.withDim(axis, Dim.of(count(start, end, step)));
        }
        return args.get(0).withShape(out);
    }

    @Override
    public String attributes() {
        return "axes=" + axes + ", starts=" + starts + ", ends=" + ends + (strided() ? ", steps=" + steps : "");
    }

    /** The adjoint is {@code dy} padded with zeros back to the input's shape. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.op(PadOp.undo(this, v.shape(0)), v.dy()));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "slice: du = dy padded with zeros";
    }

    /** The elements {@code starts[i], starts[i] + steps[i], ...} on each listed axis. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        int[] strides = Index.strides(x.shape());
        int first = 0;
        for (int i = 0; i < axes.size(); i++) {
            first += Math.toIntExact(starts.get(i)) * strides[axes.get(i)];
        }
        for (int i = 0; i < axes.size(); i++) {
            strides[axes.get(i)] *= Math.toIntExact(steps.get(i));
        }
        return Layout.gather(x, first, strides, ctx.shape(y.shape()));
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        if (y.dtype() == DType.BOOL) {
            throw JavaCode.unsupported(name() + " of a comparison mask");
        }
        Shape in = y.input(0).shape();
        if (strided()) {
            return CodeBlock.of("$T.slice($L, $L, $L, $L, $L, $L);\n", JavaCode.rt("StridedSlices"),
                    ctx.ref(y.input(0)), ctx.shapeArray(in), ctx.ints(perAxis(in.rank(), starts, 0)),
                    ctx.ints(perAxis(in.rank(), steps, 1)), ctx.shapeArray(y.shape()), ctx.ref(y));
        }
        List<Dim> from = new ArrayList<>();
        List<Dim> to = new ArrayList<>();
        for (int a = 0; a < in.rank(); a++) {
            int k = axes.indexOf(a);
            from.add(Dim.of(k < 0 ? 0 : starts.get(k)));
            to.add(k < 0 ? in.dim(a) : Dim.of(ends.get(k)));
        }
        return CodeBlock.of("$T.slice($L, $L, $L, $L, $L);\n", JavaCode.rt("Slices"), ctx.ref(y.input(0)),
                ctx.shapeArray(in), ctx.dims(from), ctx.dims(to), ctx.ref(y));
    }

    /** {@code values} given for the listed axes, spread over all {@code rank} axes, {@code fill} for the others. */
    static List<Long> perAxis(int rank, List<Integer> axes, List<Long> values, long fill) {
        List<Long> out = new ArrayList<>();
        for (int a = 0; a < rank; a++) {
            int k = axes.indexOf(a);
            out.add(k < 0 ? fill : values.get(k));
        }
        return out;
    }

    private List<Long> perAxis(int rank, List<Long> values, long fill) {
        return perAxis(rank, axes, values, fill);
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
