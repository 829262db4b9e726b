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
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/** {@code log_softmax(x, axis)}: {@code x - logsumexp(x, axis, keepdims)}, a dedicated rule for stability. */
public record LogSoftmaxOp(int axis) implements Op {

    @Override
    public String name() {
        return "log_softmax";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        Axes.check(name(), -1, x.shape(), axis);
        return x;
    }

    @Override
    public String attributes() {
        return "axis=" + axis;
    }

    /** {@code dx = dy - softmax(x) * sum(dy)} along the axis. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        Node p = g.op(new SoftmaxOp(axis), v.x(0));
        return v.each(() -> g.sub(v.dy(), g.mul(p, g.sum(v.dy(), List.of(axis), true))));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "log_softmax: du = dy - softmax(u) * sum(dy)";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        return SoftmaxOp.lines(args.get(0), axis, true);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.of("$T.logSoftmax($L, $L, $L, $L);\n", JavaCode.rt("Softmax"), ctx.ref(y.input(0)),
                ctx.shapeArray(y.shape()), axis, ctx.ref(y));
    }

    /** About 5 operations per input element (max, exp, sum, divide). */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel().times(Dim.of(5));
    }
}
