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
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * A compile-time scalar of the element type of the tensor it meets. An {@code i32} constant must be an
 * integer in the {@code int} range; a {@code bool} constant ({@code true}/{@code false}) is 1 or 0.
 */
public record ConstantOp(double value, DType dtype) implements Op {

    public ConstantOp {
        Objects.requireNonNull(dtype, "dtype");
    }

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 0);
        boolean integral = value == Math.rint(value) && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
        if (dtype == DType.I32 && !integral) {
            throw new ShapeException("constant: " + Format.number(value) + " is not an i32 value (an integer from "
                    + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    + "); convert the other operand with cast(x, f32)");
        }
        if (dtype == DType.BOOL && value != 0 && value != 1) {
            throw new ShapeException("constant: " + Format.number(value) + " is not a bool value (1 or 0)");
        }
        return TensorType.scalar(dtype);
    }

    @Override
    public String attributes() {
        if (dtype == DType.BOOL) {
            return "value=" + (value != 0);
        }
        return "value=" + Format.number(value);
    }

    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        return NdArray.scalar(value);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.of("$L[0] = $L;\n", ctx.ref(y), JavaCode.literal(value, dtype));
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
