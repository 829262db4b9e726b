package dev.adjoint.compiler.ir;

/** Element types of graph values. {@code BOOL} is the type of comparison masks (used by {@code where}). */
public enum DType {
    F32("f32"),
    F64("f64"),
    I32("i32"),
    BOOL("bool");

    private final String text;

    DType(String text) {
        this.text = text;
    }

    /** Differentiable element types: values of these types carry gradients. */
    public boolean isFloat() {
        return this == F32 || this == F64;
    }

    /** The type as written in a model ({@code f32}, {@code f64}, {@code i32}), or null for an unknown word. */
    public static DType fromText(String word) {
        for (DType t : values()) {
            if (t != BOOL && t.text.equals(word)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
