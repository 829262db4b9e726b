package dev.adjoint.compiler.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.BatchNormOp;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.ConcatOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.CrossEntropyOp;
import dev.adjoint.compiler.ops.DimValueOp;
import dev.adjoint.compiler.ops.GeluGradOp;
import dev.adjoint.compiler.ops.LayerNormOp;
import dev.adjoint.compiler.ops.LeakyReluOp;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.MatMulOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.PadOp;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.WhereOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers one graph node to Java statements: a runtime kernel call or one simple loop into a fresh buffer.
 * Buffers live in the per-call {@code Workspace w}; parameters are fields of the model. Buffers are written
 * once and never changed afterwards, so shape-only ops (reshape, identity broadcast) alias their input.
 */
final class Lowering {
    private static final String RT = "dev.adjoint.runtime";

    private final ValueNames names;

    /** names: how to read each node's buffer ({@code w.h}, {@code W1}) and each dim ({@code w.B}). */
    Lowering(ValueNames names) {
        this.names = names;
    }

    static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("emitter: op " + what + " is not supported yet");
    }

    static TypeName elem(DType t) {
        return switch (t) {
            case F32 -> TypeName.FLOAT;
            case F64 -> TypeName.DOUBLE;
            case I32 -> TypeName.INT;
            case BOOL -> TypeName.BOOLEAN;
        };
    }

    static ArrayTypeName array(DType t) {
        return ArrayTypeName.of(elem(t));
    }

    static ClassName rt(String simple) {
        return ClassName.get(RT, simple);
    }

    CodeBlock dim(Dim d) {
        List<CodeBlock> factors = new ArrayList<>();
        if (d.coefficient() != 1 || d.symbols().isEmpty()) {
            factors.add(CodeBlock.of("$L", d.coefficient()));
        }
        for (String s : d.symbols()) {
            factors.add(CodeBlock.of("w.$N", names.dimFields().get(s)));
        }
        return CodeBlock.join(factors, " * ");
    }

    CodeBlock numel(Shape s) {
        return dim(s.numel());
    }

    CodeBlock shapeList(Shape s) {
        List<CodeBlock> parts = new ArrayList<>();
        for (Dim d : s.dims()) {
            parts.add(dim(d));
        }
        return CodeBlock.join(parts, ", ");
    }

    CodeBlock shapeArray(Shape s) {
        return CodeBlock.of("new int[] {$L}", shapeList(s));
    }

    static CodeBlock ints(List<? extends Number> values) {
        List<CodeBlock> parts = new ArrayList<>();
        for (Number v : values) {
            parts.add(CodeBlock.of("$L", v.longValue()));
        }
        return CodeBlock.of("new int[] {$L}", CodeBlock.join(parts, ", "));
    }

    static CodeBlock literal(double v, DType t) {
        switch (t) {
            case F32:
                if (Float.isNaN((float) v)) {
                    return CodeBlock.of("$T.NaN", Float.class);
                }
                if (Float.isInfinite((float) v)) {
                    return CodeBlock.of(v > 0 ? "$T.POSITIVE_INFINITY" : "$T.NEGATIVE_INFINITY", Float.class);
                }
                return CodeBlock.of("$Lf", Float.toString((float) v));
            case F64:
                if (Double.isNaN(v)) {
                    return CodeBlock.of("$T.NaN", Double.class);
                }
                if (Double.isInfinite(v)) {
                    return CodeBlock.of(v > 0 ? "$T.POSITIVE_INFINITY" : "$T.NEGATIVE_INFINITY", Double.class);
                }
                return CodeBlock.of("$L", Double.toString(v));
            case I32:
                return CodeBlock.of("$L", (int) v);
            case BOOL:
                return CodeBlock.of("$L", v != 0);
            default:
                throw new AssertionError(t);
        }
    }

    CodeBlock ref(Node n) {
        return names.ref(n);
    }

    CodeBlock alloc(Node n) {
        return CodeBlock.of("$L = new $T[$L];\n", ref(n), elem(n.dtype()), numel(n.shape()));
    }

    /** Ops lowered to one loop by {@link ElementwiseLowering}, which inlines constant operands as literals. */
    static boolean isElementwise(Op op) {
        return op instanceof UnaryOp || op instanceof LeakyReluOp || op instanceof CastOp || op instanceof BinaryOp
                || op instanceof CompareOp || op instanceof WhereOp || op instanceof GeluGradOp;
    }

    /** The statements computing {@code n} into its buffer. */
    CodeBlock lower(Node n) {
        Op op = n.op();
        if (op instanceof ConstantOp c) {
            return CodeBlock.of("$L = new $T[] {$L};\n", ref(n), elem(n.dtype()), literal(c.value(), n.dtype()));
        }
        if (op instanceof DimValueOp d) {
            CodeBlock v = d.dtype() == DType.I32 || d.dtype() == DType.F64 || d.dtype() == DType.F32
                    ? dim(d.dim()) : null;
            if (v == null) {
                throw unsupported("dim value of type " + d.dtype());
            }
            return CodeBlock.of("$L = new $T[] {$L};\n", ref(n), elem(n.dtype()), v);
        }
        if (isElementwise(op)) {
            return new ElementwiseLowering(this).lower(n);
        }
        if (op instanceof ReshapeOp) {
            return CodeBlock.of("$L = $L;  // reshape: same row-major data\n", ref(n), ref(n.input(0)));
        }
        if (op instanceof ReduceOp r) {
            return reduce(n, r);
        }
        if (op instanceof MatMulOp) {
            return matmul(n);
        }
        requireNoBool(n);
        if (op instanceof TransposeOp t) {
            return CodeBlock.builder().add(alloc(n))
                    .addStatement("$T.transpose($L, $L, $L, $L)", rt("Transpose"), ref(n.input(0)),
                            shapeArray(n.input(0).shape()), ints(t.perm()), ref(n))
                    .build();
        }
        if (op instanceof BroadcastOp) {
            if (n.input(0).shape().equals(n.shape())) {
                return CodeBlock.of("$L = $L;\n", ref(n), ref(n.input(0)));
            }
            return CodeBlock.builder().add(alloc(n))
                    .addStatement("$T.broadcastTo($L, $L, $L, $L)", rt("Broadcast"), ref(n.input(0)),
                            shapeArray(n.input(0).shape()), ref(n), shapeArray(n.shape()))
                    .build();
        }
        if (op instanceof ConcatOp c) {
            List<CodeBlock> parts = new ArrayList<>();
            List<CodeBlock> shapes = new ArrayList<>();
            for (Node in : n.inputs()) {
                parts.add(ref(in));
                shapes.add(CodeBlock.of("{$L}", shapeList(in.shape())));
            }
            return CodeBlock.builder().add(alloc(n))
                    .addStatement("$T.concat(new $T[][] {$L}, new int[][] {$L}, $L, $L)", rt("Concat"),
                            elem(n.dtype()), CodeBlock.join(parts, ", "), CodeBlock.join(shapes, ", "), c.axis(), ref(n))
                    .build();
        }
        if (op instanceof SliceOp s) {
            Shape in = n.input(0).shape();
            List<CodeBlock> starts = new ArrayList<>();
            List<CodeBlock> ends = new ArrayList<>();
            for (int a = 0; a < in.rank(); a++) {
                int k = s.axes().indexOf(a);
                starts.add(CodeBlock.of("$L", k < 0 ? 0 : s.starts().get(k)));
                ends.add(k < 0 ? dim(in.dim(a)) : CodeBlock.of("$L", s.ends().get(k)));
            }
            return CodeBlock.builder().add(alloc(n))
                    .addStatement("$T.slice($L, $L, new int[] {$L}, new int[] {$L}, $L)", rt("Slices"),
                            ref(n.input(0)), shapeArray(in), CodeBlock.join(starts, ", "), CodeBlock.join(ends, ", "),
                            ref(n))
                    .build();
        }
        if (op instanceof PadOp p) {
            if (!n.dtype().isFloat()) {
                throw unsupported("pad of " + n.dtype());
            }
            Shape in = n.input(0).shape();
            List<CodeBlock> starts = new ArrayList<>();
            List<CodeBlock> ends = new ArrayList<>();
            for (int a = 0; a < n.shape().rank(); a++) {
                int k = p.axes().indexOf(a);
                long start = k < 0 ? 0 : p.starts().get(k);
                starts.add(CodeBlock.of("$L", start));
                ends.add(k < 0 ? dim(n.shape().dim(a)) : CodeBlock.of("$L", start + in.dim(a).size()));
            }
            return CodeBlock.builder().add(alloc(n))
                    .addStatement("$T.sliceBackward($L, $L, new int[] {$L}, new int[] {$L}, $L, false)",
                            rt("Slices"), ref(n.input(0)), shapeArray(n.shape()), CodeBlock.join(starts, ", "),
                            CodeBlock.join(ends, ", "), ref(n))
                    .build();
        }
        if (op instanceof OneHotOp o) {
            return CodeBlock.builder().add(alloc(n))
                    .addStatement("$T.oneHot($L, $L, $L)", rt("CrossEntropy"), ref(n.input(0)), o.n(), ref(n))
                    .build();
        }
        if (op instanceof SoftmaxOp s) {
            return CodeBlock.builder().add(alloc(n))
                    .addStatement("$T.softmax($L, $L, $L, $L)", rt("Softmax"), ref(n.input(0)),
                            shapeArray(n.shape()), s.axis(), ref(n))
                    .build();
        }
        if (op instanceof LogSoftmaxOp s) {
            return CodeBlock.builder().add(alloc(n))
                    .addStatement("$T.logSoftmax($L, $L, $L, $L)", rt("Softmax"), ref(n.input(0)),
                            shapeArray(n.shape()), s.axis(), ref(n))
                    .build();
        }
        if (op instanceof CrossEntropyOp) {
            Shape logits = n.input(0).shape();
            return CodeBlock.builder().add(alloc(n))
                    .addStatement("$T.crossEntropy($L, $L, $L, $L, $L)", rt("CrossEntropy"), ref(n.input(0)),
                            ref(n.input(1)), numel(n.shape()), dim(logits.dim(logits.rank() - 1)), ref(n))
                    .build();
        }
        if (op instanceof LayerNormOp l) {
            Shape x = n.input(0).shape();
            CodeBlock rows = dim(x.numel().dividedBy(x.dim(l.axis())).orElseThrow());
            return normalization(n, CodeBlock.of("$T.forward($L, $L, $L, $L, $L, $L, $L, mean, rstd)",
                    rt("LayerNorm"), ref(n.input(0)), shapeArray(x), l.axis(), ref(n.input(1)), ref(n.input(2)),
                    literal(l.eps(), DType.F64), ref(n)), rows);
        }
        if (op instanceof BatchNormOp b) {
            Shape x = n.input(0).shape();
            CodeBlock features = dim(x.numel().dividedBy(x.dim(0)).orElseThrow());
            return normalization(n, CodeBlock.of("$T.forward($L, $L, $L, $L, $L, $L, mean, rstd)",
                    rt("BatchNorm"), ref(n.input(0)), shapeArray(x), ref(n.input(1)), ref(n.input(2)),
                    literal(b.eps(), DType.F64), ref(n)), features);
        }
        throw unsupported(op.name());
    }

    private CodeBlock normalization(Node n, CodeBlock call, CodeBlock statCount) {
        return CodeBlock.builder().add(alloc(n)).add("{\n$>")
                .addStatement("$T mean = new $T[$L]", array(n.dtype()), elem(n.dtype()), statCount)
                .addStatement("$T rstd = new $T[$L]", array(n.dtype()), elem(n.dtype()), statCount)
                .addStatement("$L", call)
                .add("$<}\n")
                .build();
    }

    private void requireNoBool(Node n) {
        if (n.dtype() == DType.BOOL) {
            throw unsupported(n.op().name() + " of a comparison mask");
        }
    }

    private CodeBlock reduce(Node n, ReduceOp r) {
        if (r.axes().isEmpty()) {
            return CodeBlock.of("$L = $L;  // reduction over no axes\n", ref(n), ref(n.input(0)));
        }
        if (!n.dtype().isFloat() && r.fn() != ReduceFn.SUM && r.fn() != ReduceFn.MAX) {
            throw unsupported(r.fn().text() + " of " + n.dtype());
        }
        String kernel = switch (r.fn()) {
            case SUM -> "sum";
            case MEAN -> "mean";
            case MAX -> "max";
            case LOGSUMEXP -> "logsumexp";
        };
        return CodeBlock.builder().add(alloc(n))
                .addStatement("$T.$N($L, $L, $L, $L)", rt("Reductions"), kernel, ref(n.input(0)),
                        shapeArray(n.input(0).shape()), ints(r.axes()), ref(n))
                .build();
    }

    private CodeBlock matmul(Node n) {
        Shape a = n.input(0).shape();
        Shape b = n.input(1).shape();
        CodeBlock x = ref(n.input(0));
        CodeBlock y = ref(n.input(1));
        CodeBlock.Builder code = CodeBlock.builder().add(alloc(n));
        if (a.rank() == 3 && b.rank() == 3) {
            return code.addStatement("$T.batchedMatmul($L, $L, $L, $L, $L, $L, $L, false)", rt("MatMul"), x, y, ref(n),
                    dim(a.dim(0)), dim(a.dim(1)), dim(a.dim(2)), dim(b.dim(2))).build();
        }
        CodeBlock m;
        CodeBlock k = dim(a.dim(a.rank() - 1));
        CodeBlock cols = b.rank() == 1 ? CodeBlock.of("1") : dim(b.dim(1));
        if (a.rank() == 1) {
            m = CodeBlock.of("1");
        } else if (a.rank() == 2) {
            m = dim(a.dim(0));
        } else {
            m = dim(a.dim(0).times(a.dim(1)));
        }
        return code.addStatement("$T.matmul($L, $L, $L, $L, $L, $L, false)", rt("MatMul"), x, y, ref(n), m, k, cols)
                .build();
    }
}
