package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Resolves a written type such as {@code f32[B, 2*H]} to a {@link TensorType}. */
final class TypeResolver {
    private final Diagnostics diagnostics;
    private final ExprEvaluator eval;
    private final Env env;

    TypeResolver(Diagnostics diagnostics, ExprEvaluator eval, Env env) {
        this.diagnostics = diagnostics;
        this.eval = eval;
        this.env = env;
    }

    /** The type, or null after reporting an error. {@code fixedOnly}: dims are not allowed (param shapes). */
    TensorType resolve(Ast.TypeRef ref, boolean fixedOnly, String what) {
        DType dtype = eval.typeWord(ref.elem().name());
        boolean ok = true;
        if (dtype == null) {
            diagnostics.error(ref.elem().span(), what + ": unknown element type '" + ref.elem().name()
                    + "'; expected f32, f64 or i32");
            ok = false;
        }
        List<Dim> dims = new ArrayList<>();
        for (Ast.Expr e : ref.dims()) {
            if (e instanceof Ast.Name n && env.lookup(n.name()) == null && env.declaredLater(n.name()) == null
                    && Suggest.closest(n.name(), env.visibleNames()) == null) {
                diagnostics.error(e.span(), what + ": unknown dimension '" + n.name() + "'; declare it first with 'dim "
                        + n.name() + "' (a size bound when the model is called) or 'const " + n.name() + " = ...'");
                ok = false;
                continue;
            }
            Value v = eval.eval(e, env);
            if (v instanceof Value.Num n && n.integral() && n.value() > Integer.MAX_VALUE) {
                diagnostics.error(e.span(), what + ": the dimension "
                        + new BigDecimal(n.value()).toPlainString() + " is too large (at most "
                        + Integer.MAX_VALUE + ", the longest Java array)");
                ok = false;
            } else if (v instanceof Value.Num n && n.integral() && n.value() >= 1) {
                dims.add(Dim.of(n.asLong()));
            } else if (v instanceof Value.DimV d) {
                if (fixedOnly) {
                    diagnostics.error(e.span(), what + ": its shape uses the dim " + d.dim()
                            + "; a param's shape must be fixed (integers and consts only), since it is allocated"
                            + " once, before any call binds a dim");
                    ok = false;
                } else {
                    dims.add(d.dim());
                }
            } else if (v instanceof Value.Err) {
                ok = false;
            } else {
                diagnostics.error(e.span(), what + ": a dimension must be a positive integer, a const or a dim,"
                        + " got " + Value.describe(v));
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        TensorType type;
        try {
            type = new TensorType(dtype, new Shape(dims));
        } catch (ArithmeticException e) {
            diagnostics.error(ref.span(), what + ": the shape has more elements than a Java array can hold");
            return null;
        }
        String tooLarge = ArraySize.tooLarge(type);
        if (tooLarge != null) {
            diagnostics.error(ref.span(), what + ": " + tooLarge);
            return null;
        }
        return type;
    }
}
