package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code reshape(x, [d0, d1, ...])}: the same elements in row-major order under a new shape. The element
 * counts must be equal as monomials ({@code [B, 64]} holds {@code 64*B} elements).
 */
public record ReshapeOp(Shape to) implements Op {

    public ReshapeOp {
        Objects.requireNonNull(to, "to");
    }

    /**
     * The target shape with its {@code -1} filled in: the element count of {@code from} divided by that
     * of the other target dimensions.
     *
     * @param target the dimensions as written; the entry at {@code inferredAxis} is ignored (may be null)
     * @param inferredAxis the position of the {@code -1}, or -1 if there is none
     */
    public static Shape resolve(Shape from, List<Dim> target, int inferredAxis) {
        if (inferredAxis < 0) {
            return new Shape(target);
        }
        Dim others = Dim.of(1);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            if (i == inferredAxis) {
                written.add("-1");
            } else {
                others = others.times(target.get(i));
                written.add(target.get(i).toString());
            }
        }
        Dim total = from.numel();
        Optional<Dim> missing = total.dividedBy(others);
        if (missing.isEmpty()) {
            throw new ShapeException(1, "reshape: cannot infer the -1 in [" + String.join(", ", written) + "] for "
                    + from + ": its " + total + " elements are not a multiple of " + others);
        }
        List<Dim> dims = new ArrayList<>(target);
        dims.set(inferredAxis, missing.get());
        return new Shape(dims);
    }

    @Override
    public String name() {
        return "reshape";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        Shape from = args.get(0).shape();
        if (!from.numel().equals(to.numel())) {
            throw new ShapeException(1, "reshape: cannot reshape " + from + " (" + count(from) + ") into " + to + " ("
                    + count(to) + ")");
        }
        return args.get(0).withShape(to);
    }

    private static String count(Shape s) {
        Dim n = s.numel();
        return n + (n.isOne() ? " element" : " elements");
    }

    @Override
    public String attributes() {
        return "to=" + to;
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.reshape(v.dy(), v.shape(0)));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "reshape: du = dy reshaped back";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        return new NdArray(ctx.shape(to), args.get(0).data().clone());
    }

    /** The same row-major data: the buffer is shared. */
    @Override
    public int aliasedInput(Node y) {
        return 0;
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        throw new IllegalStateException("reshape aliases its input");
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
