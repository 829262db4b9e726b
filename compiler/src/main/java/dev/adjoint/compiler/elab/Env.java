package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Span;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names visible in a model body or in one inlined call of a {@code fn}. Scoping is flat, as in
 * Python: a name bound inside a {@code for} body stays bound after it, and binding a name again
 * shadows the earlier value. A fn body sees only its parameters, its own names and the file's top-level
 * {@code const}s, which every body sees (a body's own binding of the name shadows one).
 */
final class Env {
    record Entry(Value value, Span span) {
    }

    private final Map<String, Entry> names = new HashMap<>();
    /** Every name some statement of this body binds, with its first binding place (for "used before definition"). */
    private final Map<String, Span> declaredAnywhere = new HashMap<>();
    private final boolean model;
    private final String fnName;
    /** The file's top-level consts, seen by every body. */
    private final Map<String, Entry> globals;
    /** The body whose call this fn body is, or null. */
    private Env caller;

    private Env(boolean model, String fnName, List<? extends Ast.Stmt> body, Map<String, Entry> globals) {
        this.model = model;
        this.fnName = fnName;
        this.globals = globals;
        collect(body);
    }

    static Env model(List<Ast.Stmt> body) {
        return model(body, Map.of());
    }

    /** A model body that also sees the file's top-level consts. */
    static Env model(List<Ast.Stmt> body, Map<String, Entry> globals) {
        return new Env(true, null, body, globals);
    }

    /** Where the file's top-level consts are evaluated, in order: each sees those above it. */
    static Env topLevel(List<Ast.ConstDecl> consts) {
        return new Env(false, null, consts, Map.of());
    }

    static Env fn(String name, List<Ast.Stmt> body) {
        return new Env(false, name, body == null ? List.of() : body, Map.of());
    }

    /**
     * A fn's names, called from {@code caller}: the caller's names are not visible, only known for messages; the
     * top-level consts are.
     */
    static Env fn(String name, List<Ast.Stmt> body, Env caller) {
        Env env = new Env(false, name, body == null ? List.of() : body, caller.globals);
        env.caller = caller;
        return env;
    }

    /** The names bound here, as top-level consts for the bodies of the file. */
    Map<String, Entry> asGlobals() {
        return Map.copyOf(names);
    }

    /** The names of the bodies that called this fn, outermost last: for "a fn does not see …" messages. */
    boolean callerBinds(String name) {
        for (Env e = caller; e != null; e = e.caller) {
            if (e.names.containsKey(name) || e.declaredAnywhere.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    boolean isModel() {
        return model;
    }

    /** The fn whose call this is, or null in a model body. */
    String fnName() {
        return fnName;
    }

    Entry lookup(String name) {
        Entry own = names.get(name);
        return own != null ? own : globals.get(name);
    }

    void bind(String name, Value value, Span span) {
        names.put(name, new Entry(value, span));
    }

    void unbind(String name) {
        names.remove(name);
    }

    /** Where the name is bound by a statement of this body, or null if nothing here binds it. */
    Span declaredLater(String name) {
        return declaredAnywhere.get(name);
    }

    Iterable<String> visibleNames() {
        Set<String> all = new TreeSet<>(globals.keySet());
        all.addAll(names.keySet());
        return all;
    }

    private void collect(List<? extends Ast.Stmt> body) {
        for (Ast.Stmt s : body) {
            if (s instanceof Ast.Assign a) {
                note(a.name());
            } else if (s instanceof Ast.Unpack u) {
                u.names().forEach(this::note);
            } else if (s instanceof Ast.ConstDecl c) {
                note(c.name());
            } else if (s instanceof Ast.InputDecl i) {
                note(i.name());
            } else if (s instanceof Ast.ParamDecl p) {
                note(p.name());
            } else if (s instanceof Ast.OutputDecl o) {
                note(o.name());
            } else if (s instanceof Ast.LossDecl l) {
                note(l.name());
            } else if (s instanceof Ast.DimDecl d) {
                d.names().forEach(this::note);
            } else if (s instanceof Ast.ForLoop f) {
                collect(f.body());
            }
        }
    }

    private void note(Ast.Ident id) {
        declaredAnywhere.putIfAbsent(id.name(), id.span());
    }
}
