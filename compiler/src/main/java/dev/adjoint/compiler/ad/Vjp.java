package dev.adjoint.compiler.ad;

import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import java.util.function.Supplier;

/**
 * What a derivative rule sees for one forward node {@code y = op(x0, x1, ...)}: the node, its adjoint
 * {@code dy} (never a symbolic zero: the driver does not call a rule without one), and which inputs need an
 * adjoint. Rules hand their vector–Jacobian products to {@link #each}, which builds only the needed ones.
 */
public final class Vjp {
    private final Node y;
    private final Node dy;
    private final boolean[] needs;

    Vjp(Node y, Node dy, boolean[] needs) {
        this.y = y;
        this.dy = dy;
        this.needs = needs.clone();
    }

    public Node y() {
        return y;
    }

    /** The forward node's op, as the kind the rule was registered for. */
    public <T extends Op> T op(Class<T> kind) {
        return kind.cast(y.op());
    }

    public Node dy() {
        return dy;
    }

    public Node x(int i) {
        return y.input(i);
    }

    public Shape shape(int i) {
        return x(i).shape();
    }

    public int arity() {
        return needs.length;
    }

    /** True when input {@code i} lies on a path to a requested variable. */
    public boolean needs(int i) {
        return needs[i];
    }

    /**
     * The adjoints of the inputs in order, building only the needed ones. A null supplier, or one that
     * returns null, is a symbolic zero (no gradient through that input).
     */
    @SafeVarargs
    public final Node[] each(Supplier<Node>... adjoints) {
        if (adjoints.length != needs.length) {
            throw new IllegalStateException(y.op().name() + ": rule gives " + adjoints.length + " adjoints for "
                    + needs.length + " inputs");
        }
        Node[] out = new Node[adjoints.length];
        for (int i = 0; i < adjoints.length; i++) {
            out[i] = needs[i] && adjoints[i] != null ? adjoints[i].get() : null;
        }
        return out;
    }

    /** No input receives anything (masks, labels, leaves, zero-derivative functions). */
    public Node[] none() {
        return new Node[needs.length];
    }
}
