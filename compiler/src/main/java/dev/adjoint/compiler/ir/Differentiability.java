package dev.adjoint.compiler.ir;

/** How gradients flow through an op, declared by each op ({@link Op#differentiability()}). */
public enum Differentiability {
    /** Its {@link Op#vjp} gives the adjoints of its float inputs. */
    DIFFERENTIABLE,
    /**
     * Its derivative is zero wherever it is defined (comparisons, {@code one_hot}, {@code sign}, leaves and
     * constants): no gradient flows through it, and that is exact.
     */
    PIECEWISE_CONSTANT,
    /** It has no derivative rule: differentiating through it is an error naming the op. */
    NONE
}
