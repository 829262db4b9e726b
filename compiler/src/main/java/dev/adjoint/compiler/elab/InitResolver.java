package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.ir.InitSpec;
import java.util.ArrayList;
import java.util.List;

/** Resolves a param's initializer expression ({@code he_normal}, {@code uniform(-0.1, 0.1)}, ...). */
final class InitResolver {
    private final Diagnostics diagnostics;
    private final ExprEvaluator eval;
    private final Env env;

    InitResolver(Diagnostics diagnostics, ExprEvaluator eval, Env env) {
        this.diagnostics = diagnostics;
        this.eval = eval;
        this.env = env;
    }

    /** The initializer, or null after reporting an error. */
    InitSpec resolve(Ast.Expr e, String param) {
        String word;
        List<Ast.Arg> args;
        if (e instanceof Ast.Name n) {
            word = n.name();
            args = List.of();
        } else if (e instanceof Ast.Call c) {
            word = c.callee().name();
            args = c.args();
        } else {
            diagnostics.error(e.span(), "param " + param + ": expected an initializer (" + InitSpec.Kind.all()
                    + ")");
            return null;
        }
        InitSpec.Kind kind = InitSpec.Kind.fromText(word);
        if (kind == null) {
            diagnostics.error(e.span(), "param " + param + ": unknown initializer '" + word + "'; expected one of "
                    + InitSpec.Kind.all());
            return null;
        }
        if (args.size() != kind.arity()) {
            diagnostics.error(e.span(), "param " + param + ": initializer " + word + " takes " + kind.arity()
                    + (kind.arity() == 1 ? " argument" : " arguments") + ", got " + args.size());
            return null;
        }
        List<Double> values = new ArrayList<>();
        for (Ast.Arg a : args) {
            if (a.key() != null) {
                diagnostics.error(a.key().span(), "param " + param + ": initializer " + word
                        + " takes positional arguments only");
                return null;
            }
            Value v = eval.eval(a.value(), env);
            if (v instanceof Value.Num n) {
                values.add(n.value());
            } else {
                if (!(v instanceof Value.Err)) {
                    diagnostics.error(a.value().span(), "param " + param + ": initializer arguments must be"
                            + " compile-time numbers, got " + Value.describe(v));
                }
                return null;
            }
        }
        if (kind == InitSpec.Kind.UNIFORM && values.get(0) > values.get(1)) {
            diagnostics.error(e.span(), "param " + param + ": uniform(lo, hi) needs lo <= hi, got uniform("
                    + values.get(0) + ", " + values.get(1) + ")");
            return null;
        }
        if (kind == InitSpec.Kind.NORMAL && values.get(1) < 0) {
            diagnostics.error(e.span(), "param " + param + ": normal(mean, std) needs std >= 0, got " + values.get(1));
            return null;
        }
        return new InitSpec(kind, values);
    }
}
