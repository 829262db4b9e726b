package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * A trainable parameter ({@code param W : f32[64, 32]}). Its {@code name()} is the model's name for it
 * ({@code W}, or {@code W[0]} for an element of a parameter array); {@code attributes()} says {@code param}.
 * Its gradient is always produced, so its type must be differentiable, and its shape must be fixed.
 */
public record ParamOp(String name, TensorType type) implements Op {

    public ParamOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name, args, 0);
        TypeRules.requireFloat("param " + name, -1, type);
        for (Dim d : type.shape().dims()) {
            if (!d.isFixed()) {
                throw new ShapeException("param " + name + ": its shape " + type.shape() + " uses the dim " + d
                        + "; a param's shape may use only integers and consts");
            }
        }
        return type;
    }

    @Override
    public String attributes() {
        return "param";
    }

    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    /** A leaf: its value is given by the caller, never computed. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        throw new IllegalArgumentException("no value given for param " + name + " : " + type);
    }

    /** A leaf: the emitter reads the model's parameter field. */
    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        throw new IllegalStateException("param " + name + " is a field, not computed");
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
