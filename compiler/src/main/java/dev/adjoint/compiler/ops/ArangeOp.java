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
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * {@code arange(n)}: the values {@code 0, 1, ..., n-1} of {@code dtype} ({@code [n]}), no inputs. The optimizer
 * uses it to read a one-hot row by comparison ({@code one_hot(y, n) = cast(reshape(y, [..., 1]) == arange(n))}).
 */
public record ArangeOp(Dim n, DType dtype) implements Op {

    public ArangeOp {
        Objects.requireNonNull(n, "n");
        Objects.requireNonNull(dtype, "dtype");
    }

    @Override
    public String name() {
        return "arange";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 0);
        if (dtype == DType.BOOL) {
            throw new ShapeException("arange: dtype must be f32, f64 or i32, got bool");
        }
        return new TensorType(dtype, Shape.of(n));
    }

    @Override
    public String attributes() {
        return "n=" + n + ", dtype=" + dtype;
    }

    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        int size = (int) ctx.dimSize(n);
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = i;
        }
        return new NdArray(new int[] {size}, v);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L.length; i++)", ctx.ref(y))
                .addStatement("$L[i] = $L", ctx.ref(y), dtype == DType.I32 ? CodeBlock.of("i")
                        : CodeBlock.of("($T) i", JavaCode.elem(dtype)))
                .endControlFlow()
                .build();
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
