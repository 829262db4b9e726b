package dev.adjoint.compiler.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.adjoint.compiler.ir.DType;
import java.util.ArrayList;
import java.util.List;

/** Small pieces of generated Java that op lowerings share: literals, element types, runtime classes. */
public final class JavaCode {
    private static final String RT = "dev.adjoint.runtime";

    private JavaCode() {
    }

    /** A class of the runtime package ({@code MatMul}, {@code Softmax}...), for {@code $T}. */
    public static ClassName rt(String simpleName) {
        return ClassName.get(RT, simpleName);
    }

    /** The Java element type of {@code t}. */
    public static TypeName elem(DType t) {
        return switch (t) {
            case F32 -> TypeName.FLOAT;
            case F64 -> TypeName.DOUBLE;
            case I32 -> TypeName.INT;
            case BOOL -> TypeName.BOOLEAN;
        };
    }

    /** The Java array type holding values of {@code t}. */
    public static ArrayTypeName array(DType t) {
        return ArrayTypeName.of(elem(t));
    }

    /** {@code new int[] {1, 2}}. */
    public static CodeBlock ints(List<? extends Number> values) {
        List<CodeBlock> parts = new ArrayList<>();
        for (Number v : values) {
            parts.add(CodeBlock.of("$L", v.longValue()));
        }
        return CodeBlock.of("new int[] {$L}", CodeBlock.join(parts, ", "));
    }

    /** {@code v} as a Java literal of {@code t} ({@code 0.5f}, {@code Double.POSITIVE_INFINITY}, {@code 3}). */
    public static CodeBlock literal(double v, DType t) {
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

    /** The error for an op or a case the emitter cannot lower. */
    public static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("emitter: op " + what + " is not supported yet");
    }
}
