package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;

/**
 * One element of an elementwise op as a Java expression, and whether it is computed in {@code double} (a
 * {@code Math} function), which the emitter casts back once for an {@code f32} result.
 */
public record JavaExpr(CodeBlock code, boolean wide) {

    /** An expression computed in the element type itself ({@code a + b}, {@code Math.max(a, 0.0f)}). */
    public static JavaExpr exact(String format, Object... args) {
        return new JavaExpr(CodeBlock.of(format, args), false);
    }

    /** An expression computed in {@code double} ({@code Math.exp(x)}). */
    public static JavaExpr wide(String format, Object... args) {
        return new JavaExpr(CodeBlock.of(format, args), true);
    }
}
