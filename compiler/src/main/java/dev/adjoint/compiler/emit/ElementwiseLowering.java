package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.GeluGradOp;
import dev.adjoint.compiler.ops.LeakyReluOp;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.WhereOp;
import dev.adjoint.runtime.Activations;
import java.util.ArrayList;
import java.util.List;

/**
 * Elementwise ops as one simple loop: {@code y[i] = f(a[i], b[i])}. Java arithmetic on {@code float} stays
 * in {@code float}; {@code Math} functions compute in double and are cast back once ({@code Expr.wide}).
 */
final class ElementwiseLowering {
    private final Lowering l;

    ElementwiseLowering(Lowering l) {
        this.l = l;
    }

    /**
     * One flat loop (or, for a scalar, one assignment). Constants are inlined as literals; operands of another
     * shape are broadcast into a local first; single-element operands are read at [0].
     */
    CodeBlock lower(Node n) {
        boolean scalar = n.shape().numel().isOne();
        CodeBlock.Builder pre = CodeBlock.builder();
        List<CodeBlock> at = new ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) {
            Node in = n.input(i);
            if (in.op() instanceof ConstantOp c) {
                CodeBlock lit = Lowering.literal(c.value(), in.dtype());
                at.add(c.value() < 0 ? CodeBlock.of("($L)", lit) : lit);
            } else if (in.shape().numel().isOne()) {
                at.add(CodeBlock.of("$L[0]", l.ref(in)));
            } else if (in.shape().equals(n.shape())) {
                at.add(CodeBlock.of("$L[i]", l.ref(in)));
            } else {
                String local = "bcast" + n.id() + "_" + i;
                pre.addStatement("$T $N = new $T[$L]", Lowering.array(in.dtype()), local, Lowering.elem(in.dtype()), l.numel(n.shape()));
                pre.addStatement("$T.broadcastTo($L, $L, $N, $L)", Lowering.rt("Broadcast"), l.ref(in), l.shapeArray(in.shape()),
                        local, l.shapeArray(n.shape()));
                at.add(CodeBlock.of("$N[i]", local));
            }
        }
        Expr e = expression(n, at);
        CodeBlock value = e.wide && n.dtype() == DType.F32 ? CodeBlock.of("(float) $L", e.code) : e.code;
        if (scalar) {
            return CodeBlock.of("$L = new $T[] {$L};\n", l.ref(n), Lowering.elem(n.dtype()), value);
        }
        CodeBlock.Builder code = CodeBlock.builder().add(l.alloc(n));
        CodeBlock loop = CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L.length; i++)", l.ref(n))
                .addStatement("$L[i] = $L", l.ref(n), value)
                .endControlFlow()
                .build();
        CodeBlock built = pre.build();
        if (built.isEmpty()) {
            return code.add(loop).build();
        }
        return code.add("{\n$>").add(built).add(loop).add("$<}\n").build();
    }

    /** An expression and whether it is computed in double (needing a cast back for f32). */
    private record Expr(CodeBlock code, boolean wide) {
        static Expr exact(String format, Object... args) {
            return new Expr(CodeBlock.of(format, args), false);
        }

        static Expr wide(String format, Object... args) {
            return new Expr(CodeBlock.of(format, args), true);
        }
    }

    private Expr expression(Node n, List<CodeBlock> a) {
        Op op = n.op();
        DType t = n.dtype();
        if (op instanceof UnaryOp u) {
            CodeBlock x = a.get(0);
            return switch (u.fn()) {
                case NEG -> Expr.exact("-$L", x);
                case EXP -> Expr.wide("$T.exp($L)", Math.class, x);
                case LOG -> Expr.wide("$T.log($L)", Math.class, x);
                case LOG1P -> Expr.wide("$T.log1p($L)", Math.class, x);
                case SQRT -> Expr.wide("$T.sqrt($L)", Math.class, x);
                case SQUARE -> Expr.exact("$L * $L", x, x);
                case ABS -> Expr.exact("$T.abs($L)", Math.class, x);
                case SIN -> Expr.wide("$T.sin($L)", Math.class, x);
                case COS -> Expr.wide("$T.cos($L)", Math.class, x);
                case TANH -> Expr.wide("$T.tanh($L)", Math.class, x);
                case SIGMOID -> Expr.exact("$T.sigmoid($L)", Activations.class, x);
                case RELU -> Expr.exact("$T.max($L, $L)", Math.class, x, Lowering.literal(0, t));
                case SOFTPLUS -> Expr.exact("$T.softplus($L)", Activations.class, x);
                case GELU -> Expr.exact("$T.gelu($L)", Activations.class, x);
                case SIGN -> t == DType.I32 ? Expr.exact("$T.signum($L)", Integer.class, x)
                        : Expr.exact("$T.signum($L)", Math.class, x);
            };
        }
        if (op instanceof LeakyReluOp l) {
            return Expr.exact("$L > 0 ? $L : $L * $L", a.get(0), a.get(0), Lowering.literal(l.alpha(), t), a.get(0));
        }
        if (op instanceof GeluGradOp) {
            return Expr.exact("$L * $T.geluDerivative($L)", a.get(1), Activations.class, a.get(0));
        }
        if (op instanceof CastOp) {
            DType from = n.input(0).dtype();
            boolean narrowing = t == DType.I32 && from != DType.I32 || t == DType.F32 && from == DType.F64;
            if (from == DType.BOOL) {
                return Expr.exact("$L ? $L : $L", a.get(0), Lowering.literal(1, t), Lowering.literal(0, t));
            }
            return narrowing ? Expr.exact("($T) $L", Lowering.elem(t), a.get(0)) : Expr.exact("$L", a.get(0));
        }
        if (op instanceof BinaryOp b) {
            CodeBlock x = a.get(0);
            CodeBlock y = a.get(1);
            return switch (b.fn()) {
                case ADD -> Expr.exact("$L + $L", x, y);
                case SUB -> Expr.exact("$L - $L", x, y);
                case MUL -> Expr.exact("$L * $L", x, y);
                case DIV -> Expr.exact("$L / $L", x, y);
                case POW -> Expr.wide("$T.pow($L, $L)", Math.class, x, y);
                case MAX -> Expr.exact("$T.max($L, $L)", Math.class, x, y);
                case MIN -> Expr.exact("$T.min($L, $L)", Math.class, x, y);
            };
        }
        if (op instanceof CompareOp c) {
            String sym = switch (c.fn()) {
                case LT -> "<";
                case LE -> "<=";
                case GT -> ">";
                case GE -> ">=";
                case EQ -> "==";
                case NE -> "!=";
            };
            return Expr.exact("$L $L $L", a.get(0), sym, a.get(1));
        }
        if (op instanceof WhereOp) {
            return Expr.exact("$L ? $L : $L", a.get(0), a.get(1), a.get(2));
        }
        throw Lowering.unsupported(op.name());
    }
}
