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
import java.util.Objects;

/**
 * A value supplied by the caller ({@code input x : f32[B, 64]}). Its {@code name()} is the model's name
 * for it ({@code x}); {@code attributes()} says {@code input}, so dumps read {@code %0 = x[input][] : f32[B, 64]}.
 */
public record InputOp(String name, TensorType type) implements Op {

    public InputOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name, args, 0);
        return type;
    }

    @Override
    public String attributes() {
        return "input";
    }

    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    /** A leaf: its value is given by the caller, never computed. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        throw new IllegalArgumentException("no value given for input " + name + " : " + type);
    }

    /** A leaf: the emitter binds it to the caller's tensor. */
    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        throw new IllegalStateException("input " + name + " is bound, not computed");
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
