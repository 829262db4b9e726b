package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds recursion among the file's fns before anything is inlined: fns are inlined at compile time, so a
 * cycle in the call graph (direct or through other fns, in a body or in a parameter's default value) would never
 * end. Reports each cycle once, at the call that closes it.
 */
final class FnCalls {
    private record Call(String callee, Ast.Call site) {
    }

    private final Map<String, Ast.FnDecl> fns;
    private final Map<String, List<Call>> calls = new LinkedHashMap<>();
    private final Map<String, Integer> state = new HashMap<>();
    private final List<String> path = new ArrayList<>();
    private final Set<String> recursive = new HashSet<>();

    private FnCalls(Map<String, Ast.FnDecl> fns) {
        this.fns = fns;
    }

    /** Reports recursion and returns the names of the fns that take part in a cycle. */
    static Set<String> findRecursion(Map<String, Ast.FnDecl> fns, Diagnostics diagnostics) {
        FnCalls f = new FnCalls(fns);
        for (Ast.FnDecl fn : fns.values()) {
            List<Call> out = new ArrayList<>();
            for (Ast.FnParam p : fn.params()) {
                if (p.defaultValue() != null) {
                    f.collect(p.defaultValue(), out); // a default is evaluated at every call that omits it
                }
            }
            if (fn.exprBody() != null) {
                f.collect(fn.exprBody(), out);
            } else {
                f.collectStmts(fn.blockBody(), out);
            }
            f.calls.put(fn.name().name(), out);
        }
        for (String name : fns.keySet()) {
            f.visit(name, diagnostics);
        }
        return f.recursive;
    }

    private void visit(String fn, Diagnostics diagnostics) {
        Integer s = state.get(fn);
        if (s != null) {
            return;
        }
        state.put(fn, 1);
        path.add(fn);
        for (Call c : calls.getOrDefault(fn, List.of())) {
            Integer cs = state.get(c.callee());
            if (cs != null && cs == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(c.callee()), path.size()));
                recursive.addAll(cycle);
                cycle.add(c.callee());
                diagnostics.error(c.site().callee().span(), "recursion in fn " + c.callee() + ": "
                        + String.join(" -> ", cycle) + "; fns are inlined at compile time, so they cannot call"
                        + " themselves (use a for loop)");
            } else {
                visit(c.callee(), diagnostics);
            }
        }
        path.remove(path.size() - 1);
        state.put(fn, 2);
    }

    private void collectStmts(List<Ast.Stmt> body, List<Call> out) {
        for (Ast.Stmt s : body) {
            if (s instanceof Ast.Assign a) {
                collect(a.value(), out);
            } else if (s instanceof Ast.Unpack u) {
                collect(u.value(), out);
            } else if (s instanceof Ast.ConstDecl c) {
                collect(c.value(), out);
            } else if (s instanceof Ast.Return r) {
                collect(r.value(), out);
            } else if (s instanceof Ast.ForLoop f) {
                collect(f.from(), out);
                collect(f.to(), out);
                collectStmts(f.body(), out);
            } else if (s instanceof Ast.OutputDecl o) {
                collect(o.value(), out);
            } else if (s instanceof Ast.LossDecl l) {
                collect(l.value(), out);
            }
        }
    }

    private void collect(Ast.Expr e, List<Call> out) {
        if (e instanceof Ast.Call c) {
            if (fns.containsKey(c.callee().name())) {
                out.add(new Call(c.callee().name(), c));
            }
            c.args().forEach(a -> collect(a.value(), out));
        } else if (e instanceof Ast.Binary b) {
            collect(b.left(), out);
            collect(b.right(), out);
        } else if (e instanceof Ast.Unary u) {
            collect(u.operand(), out);
        } else if (e instanceof Ast.ListLit l) {
            l.items().forEach(i -> collect(i, out));
        } else if (e instanceof Ast.Tuple t) {
            t.items().forEach(i -> collect(i, out));
        } else if (e instanceof Ast.Member m) {
            collect(m.target(), out);
        } else if (e instanceof Ast.Subscript s) {
            collect(s.target(), out);
            for (Ast.Sub sub : s.subs()) {
                if (sub instanceof Ast.Index i) {
                    collect(i.index(), out);
                } else if (sub instanceof Ast.Range r) {
                    if (r.lo() != null) {
                        collect(r.lo(), out);
                    }
                    if (r.hi() != null) {
                        collect(r.hi(), out);
                    }
                    if (r.step() != null) {
                        collect(r.step(), out);
                    }
                }
            }
        }
    }
}
