package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;

/**
 * What an op's lowering ({@link dev.adjoint.compiler.ir.Op#lower}) may ask the emitter: how generated code
 * reads a value's buffer and a dim's size, and a temporary buffer. {@link JavaCode} has the static helpers
 * (literals, runtime classes, element types).
 */
public interface LoweringContext {

    /** How generated code reads the buffer of {@code n} ({@code w.h}, {@code W1}): a flat array. */
    CodeBlock ref(Node n);

    /** The size of {@code d} as an {@code int} expression ({@code 64}, {@code w.B}, {@code 2 * w.B}). */
    CodeBlock dim(Dim d);

    /** The element count of {@code s}. */
    default CodeBlock numel(Shape s) {
        return dim(s.numel());
    }

    /** The sizes of {@code s}, comma-separated. */
    CodeBlock shapeList(Shape s);

    /** {@code new int[] {...}} of the sizes of {@code s}. */
    default CodeBlock shapeArray(Shape s) {
        return CodeBlock.of("new int[] {$L}", shapeList(s));
    }

    /**
     * A temporary buffer of {@code size} elements of {@code dtype} that lives for this step only (a
     * normalization's statistics), named after {@code purpose}.
     */
    CodeBlock scratch(Node y, String purpose, DType dtype, CodeBlock size);
}
