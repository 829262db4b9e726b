package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code recompute_from(c)}: the value {@code c} unchanged, read by the backward pass's recomputation of values the
 * checkpoint policy dropped ({@code plan/Checkpoints}). It shares {@code c}'s buffer, so it costs nothing at run
 * time; it exists so that a recomputed copy of a forward value is a node of its own: without it, the copy (the same
 * op on the same inputs) would hash-cons back to the forward value, which would then have to be kept. Made only
 * after differentiation, so it is never differentiated; models cannot write it.
 */
public record RecomputeFromOp() implements Op {

    @Override
    public String name() {
        return "recompute_from";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        return args.get(0);
    }

    /** Made after differentiation: nothing is differentiated through it. */
    @Override
    public Differentiability differentiability() {
        return Differentiability.NONE;
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        return new NdArray(args.get(0).shape(), args.get(0).data().clone());
    }

    /** The kept value itself: the buffer is shared. */
    @Override
    public int aliasedInput(Node y) {
        return 0;
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        throw new IllegalStateException("recompute_from aliases its input");
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
