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
 * {@code x[a:b, :]} with normalized bounds: on each listed axis (strictly increasing, of fixed size
 * {@code n}) the elements {@code starts[i] .. ends[i]-1}, where {@code 0 <= start < end <= n}. Axes not
 * listed are taken whole. Build it from written bounds with {@link #resolve}.
 */
public record SliceOp(List<Integer> axes, List<Long> starts, List<Long> ends) implements Op {

    public SliceOp {
        axes = List.copyOf(axes);
        starts = List.copyOf(starts);
        ends = List.copyOf(ends);
        if (axes.size() != starts.size() || axes.size() != ends.size()) {
            throw new IllegalArgumentException("axes, starts and ends differ in length: " + axes + " " + starts + " "
                    + ends);
        }
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
        if (lo.size() != hi.size()) {
            throw new IllegalArgumentException("lo and hi differ in length: " + lo + " " + hi);
        }
        if (lo.size() > in.rank()) {
            throw new ShapeException("slice: " + lo.size() + (lo.size() == 1 ? " slice" : " slices") + " for " + in
                    + ", which has only " + in.rank()
                    + (in.rank() == 1 ? " axis" : " axes"));
        }
        List<Integer> axes = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        for (int i = 0; i < lo.size(); i++) {
            Long a = lo.get(i);
            Long b = hi.get(i);
            Dim d = in.dim(i);
            if ((a == null || a == 0) && b == null) {
                continue;
            }
            if (!d.isFixed()) {
                throw new ShapeException("slice: axis " + i + " of " + in + " has the symbolic size " + d
                        + " and can only be taken whole (:), not " + text(a, b));
            }
            long n = d.size();
            long start = a == null ? 0 : bound(a, i, n);
            long end = b == null ? n : bound(b, i, n);
            if (start >= end) {
                throw new ShapeException("slice: " + text(a, b) + " selects nothing on axis " + i + " of size " + n);
            }
            if (start == 0 && end == n) {
                continue;
            }
            axes.add(i);
            starts.add(start);
            ends.add(end);
        }
        return new SliceOp(axes, starts, ends);
    }

    private static long bound(long written, int axis, long n) {
        if (written < -n || written > n) {
            throw new ShapeException("slice: bound " + written + " is out of range for axis " + axis + " of size " + n);
        }
        return written < 0 ? written + n : written;
    }

    private static String text(Long a, Long b) {
        return (a == null ? "" : a.toString()) + ":" + (b == null ? "" : b.toString());
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
            if (start < 0 || start >= end || end > d.size()) {
                throw new ShapeException("slice: " + start + ":" + end + " is not a non-empty range within axis " + axis
                        + " of size " + d.size() + " in " + in);
            }
            out = out.withDim(axis, Dim.of(end - start));
        }
        return args.get(0).withShape(out);
    }

    @Override
    public String attributes() {
        return "axes=" + axes + ", starts=" + starts + ", ends=" + ends;
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

    /** The elements {@code starts[i] .. ends[i] - 1} on each listed axis. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        int[] strides = Index.strides(x.shape());
        int first = 0;
        for (int i = 0; i < axes.size(); i++) {
            first += Math.toIntExact(starts.get(i)) * strides[axes.get(i)];
        }
        return Layout.gather(x, first, strides, ctx.shape(y.shape()));
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        if (y.dtype() == DType.BOOL) {
            throw JavaCode.unsupported(name() + " of a comparison mask");
        }
        Shape in = y.input(0).shape();
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

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
