package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import java.util.List;

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

    /**
     * The temporary buffer {@code purpose} that {@code y}'s op declared ({@link dev.adjoint.compiler.ir.Op#scratch}),
     * which lives for this step only.
     */
    CodeBlock scratch(Node y, String purpose);

    /**
     * The sizes {@code dims} as an {@code int[]} the generated code does not allocate per call: a field made when
     * the buffers are, for the dims of the call.
     */
    CodeBlock dims(List<Dim> dims);

    /** {@code s}'s sizes as an {@code int[]}, as {@link #dims}. */
    default CodeBlock shapeArray(Shape s) {
        return dims(s.dims());
    }

    /** Several lists of sizes as an {@code int[][]}, as {@link #dims}. */
    CodeBlock dimsTable(List<List<Dim>> rows);

    /** A constant {@code int[]} (axes, a permutation) as a field of the class, not allocated per call. */
    CodeBlock ints(List<? extends Number> values);

    /**
     * The {@link dev.adjoint.runtime.Mode} of the current call, for ops that compute differently in training and
     * evaluation ({@link dev.adjoint.compiler.ir.Op#modeDependent}).
     */
    CodeBlock mode();

    /** Whether the current call is a training step, whose forward pass updates running statistics: a boolean. */
    CodeBlock updating();

    /** The model's field holding the state {@code name} that {@code y}'s op declared ({@link dev.adjoint.compiler.ir.Op#state}). */
    CodeBlock state(Node y, String name);

    /** The model seed the dropout masks are drawn from: a {@code long}. */
    CodeBlock noiseSeed();

    /** The training step the dropout masks are drawn for: a {@code long}. */
    CodeBlock trainingStep();

    /**
     * An {@code int} the code names that tells one call of an op from another of the same kind (a dropout site):
     * the literal, which repeated layers may pass as a parameter instead ({@code Repeats}).
     */
    CodeBlock site(int value);

    /**
     * An array of the given arrays ({@code new float[][] {a, b}} for a concatenation), filled per call into a field,
     * so not allocated per call.
     */
    CodeBlock arrays(Node y, List<Node> parts);
}
