package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.TensorType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a tensor type fits in one Java array: the generated code keeps every value in one flat array, and
 * a JVM allocates at most {@link #MAX_ELEMENTS} elements (HotSpot's limit, a few below {@code 2^31 - 1}).
 * For a type with dims, the fixed factor alone must fit (the dims can only make it larger).
 */
final class ArraySize {
    /** The longest array every JVM allocates ({@code ArraysSupport.SOFT_MAX_ARRAY_LENGTH}). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private ArraySize() {
    }

    /** Null if the type fits; else why not, e.g. {@code f32[65536, 65536] has 4,294,967,296 elements; ...}. */
    static String tooLarge(TensorType type) {
        BigInteger fixed = BigInteger.ONE;
        List<String> symbols = new ArrayList<>();
        for (Dim d : type.shape().dims()) {
            fixed = fixed.multiply(BigInteger.valueOf(d.coefficient()));
            symbols.addAll(d.symbols());
        }
        if (fixed.compareTo(BigInteger.valueOf(MAX_ELEMENTS)) <= 0) {
            return null;
        }
        String count = String.format(Locale.ROOT, "%,d", fixed) + (symbols.isEmpty() ? ""
                : " x " + String.join(" x ", symbols));
        return type + " has " + count + " elements; a Java array holds at most "
                + String.format(Locale.ROOT, "%,d", MAX_ELEMENTS);
    }
}
