package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * The size of a dimension as a scalar of {@code dtype}: {@code 64}, or {@code B} as bound at call time
 * (for a mean over a batch axis, whose count is known only then). No inputs.
 */
public record DimValueOp(Dim dim, DType dtype) implements Op {

    public DimValueOp {
        Objects.requireNonNull(dim, "dim");
        Objects.requireNonNull(dtype, "dtype");
    }

    @Override
    public String name() {
        return "dim_value";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 0);
        return TensorType.scalar(dtype);
    }

    @Override
    public String attributes() {
        return "dim=" + dim;
    }

    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        return NdArray.scalar(ctx.dimSize(dim));
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        if (dtype == DType.BOOL) {
            throw JavaCode.unsupported("dim value of type " + dtype);
        }
        return CodeBlock.of("$L[0] = $L;\n", ctx.ref(y), ctx.dim(dim));
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
