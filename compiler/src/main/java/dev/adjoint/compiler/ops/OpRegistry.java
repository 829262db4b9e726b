package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Op;
import java.util.List;

/**
 * Every kind of op the IR has, each defined in one file of this package with its shape rule, derivative,
 * reference evaluation, lowering and comment text. The language's functions map onto them in
 * {@code elab/Builtins}; the differentiator and the optimizer also make some that models cannot write
 * ({@code broadcast}, {@code pad}, {@code dim_value}, {@code gelu_grad}). A test checks that this list is
 * complete and that each kind has every rule.
 */
public final class OpRegistry {

    /**
     * Leaves, then elementwise ops, then the rest, each group alphabetical; then convolution, pooling and gather
     * with the ops of their gradients.
     */
    public static final List<Class<? extends Op>> KINDS = List.of(
            InputOp.class, ParamOp.class, ConstantOp.class, DimValueOp.class, ArangeOp.class,
            BinaryOp.class, CastOp.class, ClampOp.class, CompareOp.class, GeluGradOp.class, LabelCheckOp.class,
            LeakyReluOp.class,
            StopGradientOp.class,
            UnaryOp.class, WhereOp.class,
            ArgmaxOp.class,
            BatchNormOp.class, BroadcastOp.class, ConcatOp.class, CrossEntropyOp.class, DropoutOp.class,
            LayerNormOp.class, LogSoftmaxOp.class, MatMulOp.class, OneHotOp.class, PadOp.class, RecomputeFromOp.class,
            ReduceOp.class, ReshapeOp.class,
            SliceOp.class, SoftmaxOp.class, TransposeOp.class,
            VarianceOp.class,
            Conv2dOp.class, Conv2dInputGradOp.class, Conv2dFilterGradOp.class, MaxPool2dOp.class,
            MaxPool2dGradOp.class, AvgPool2dOp.class, AvgPool2dGradOp.class, TakeOp.class, ScatterAddOp.class);

    private OpRegistry() {
    }
}
