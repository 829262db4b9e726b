package dev.adjoint.compiler.opt;

import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.WhereOp;
import java.util.List;

/**
 * NaN-safe masks. The derivative of {@code where(m, a, b)} sends {@code where(m, dy, 0)} to {@code a}; the
 * derivative rules below {@code a} then multiply or divide that masked adjoint by local derivatives, which may
 * be NaN or infinite exactly where the mask is false ({@code sqrt'(x)} at {@code x < 0}), and {@code 0 * NaN} is
 * NaN. These rules carry the mask outward instead, {@code where(m, g, 0) * h -> where(m, g * h, 0)}, so the
 * branch not taken contributes an exact 0 whatever its derivative is. (PyTorch and JAX give NaN here.)
 *
 * <p>The guarantee, and its limit: a NaN or infinity that arises only in the derivative of the branch not taken
 * never reaches a gradient, as long as the path from the {@code where} to the variable is made of elementwise
 * products, quotients and negations (the derivatives of every elementwise function, broadcasting included). A
 * path through a matrix product, a reduction over the masked axis, a reshape, or a value the branch not taken
 * also feeds forward elsewhere, is not covered.
 */
public final class NanSafeMasks extends RulePass {

    public static final List<Rule> RULES = List.of(
            // where(m, g, 0) * h -> where(m, g * h, 0), and h * where(m, g, 0) likewise; also the else-branch form
            new Rule("mask-through-mul", (g, n) -> throughBinary(g, n, BinaryFn.MUL, true)),
            // where(m, g, 0) / h -> where(m, g / h, 0)
            new Rule("mask-through-div", (g, n) -> throughBinary(g, n, BinaryFn.DIV, false)),
            // -where(m, g, 0) -> where(m, -g, 0)
            new Rule("mask-through-neg", NanSafeMasks::throughNeg));

    public NanSafeMasks() {
        super("nan-safe-masks", RULES);
    }

    /** {@code where(m, g, 0)} (branch 1 live) or {@code where(m, 0, g)} (branch 2 live), with its live branch. */
    private record Masked(Node mask, Node live, boolean thenBranch) {
        static Masked of(Node n) {
            if (!(n.op() instanceof WhereOp)) {
                return null;
            }
            if (isZero(n.input(2))) {
                return new Masked(n.input(0), n.input(1), true);
            }
            if (isZero(n.input(1))) {
                return new Masked(n.input(0), n.input(2), false);
            }
            return null;
        }

        Node rebuild(GradBuilder g, Node inside) {
            Node zero = g.constant(0, inside.dtype());
            return thenBranch ? g.where(mask, inside, zero) : g.where(mask, zero, inside);
        }
    }

    private static boolean isZero(Node n) {
        return n.op() instanceof ConstantOp c && c.value() == 0;
    }

    private static Node throughBinary(GradBuilder g, Node n, BinaryFn fn, boolean either) {
        if (!(n.op() instanceof BinaryOp b) || b.fn() != fn || !n.dtype().isFloat()) {
            return null;
        }
        for (int i = 0; i < (either ? 2 : 1); i++) {
            Masked m = Masked.of(n.input(i));
            if (m == null) {
                continue;
            }
            Node other = n.input(1 - i);
            Node inside = i == 0 ? g.binary(fn, m.live(), other) : g.binary(fn, other, m.live());
            Node out = m.rebuild(g, inside);
            if (out.type().equals(n.type())) {
                return out;
            }
        }
        return null;
    }

    private static Node throughNeg(GradBuilder g, Node n) {
        if (!Simplify.isUnary(n, UnaryFn.NEG)) {
            return null;
        }
        Masked m = Masked.of(n.input(0));
        return m == null ? null : m.rebuild(g, g.neg(m.live()));
    }
}
