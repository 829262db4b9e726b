package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ast.Ast;
import java.util.HashSet;
import java.util.Set;

/**
 * Names as a loop sees them, syntactically: the names a loop binds (its variable, and every name assigned in
 * its body at any depth) and the names an expression uses. A fn body cannot bind its caller's names, so
 * statements of the loop's own body are all that can change a name between its iterations.
 */
final class LoopNames {
    private LoopNames() {
    }

    /** The loop variable and every name the body binds. */
    static Set<String> bound(Ast.ForLoop loop) {
        Set<String> out = new HashSet<>();
        out.add(loop.var().name());
        collectBound(loop, out);
        return out;
    }

    private static void collectBound(Ast.ForLoop loop, Set<String> out) {
        for (Ast.Stmt s : loop.body()) {
            if (s instanceof Ast.Assign a) {
                out.add(a.name().name());
            } else if (s instanceof Ast.ConstDecl c) {
                out.add(c.name().name());
            } else if (s instanceof Ast.ForLoop inner) {
                out.add(inner.var().name());
                collectBound(inner, out);
            } else if (s instanceof Ast.OutputDecl o) {
                out.add(o.name().name());
            } else if (s instanceof Ast.LossDecl l) {
                out.add(l.name().name());
            }
        }
    }

    /** Adds every name {@code e} reads to {@code out}. */
    static void used(Ast.Expr e, Set<String> out) {
        if (e instanceof Ast.Name n) {
            out.add(n.name());
        } else if (e instanceof Ast.Call c) {
            c.args().forEach(a -> used(a.value(), out));
        } else if (e instanceof Ast.Binary b) {
            used(b.left(), out);
            used(b.right(), out);
        } else if (e instanceof Ast.Unary u) {
            used(u.operand(), out);
        } else if (e instanceof Ast.ListLit l) {
            l.items().forEach(i -> used(i, out));
        } else if (e instanceof Ast.Member m) {
            used(m.target(), out);
        } else if (e instanceof Ast.Subscript s) {
            used(s.target(), out);
            for (Ast.Sub sub : s.subs()) {
                if (sub instanceof Ast.Index i) {
                    used(i.index(), out);
                } else if (sub instanceof Ast.Range r) {
                    if (r.lo() != null) {
                        used(r.lo(), out);
                    }
                    if (r.hi() != null) {
                        used(r.hi(), out);
                    }
                }
            }
        }
    }

    static boolean disjoint(Set<String> a, Set<String> b) {
        for (String s : a) {
            if (b.contains(s)) {
                return false;
            }
        }
        return true;
    }
}
