package dev.adjoint.compiler.ops;

/** The reductions. {@code LOGSUMEXP} has its own rule because the composite would overflow. */
public enum ReduceFn {
    SUM("sum", true),
    MEAN("mean", false),
    MAX("max", true),
    LOGSUMEXP("logsumexp", false);

    private final String text;
    private final boolean acceptsI32;

    ReduceFn(String text, boolean acceptsI32) {
        this.text = text;
        this.acceptsI32 = acceptsI32;
    }

    /** The name as written in a model ({@code sum}). */
    public String text() {
        return text;
    }

    /** True when {@code i32} input is allowed (the result stays exact). */
    public boolean acceptsI32() {
        return acceptsI32;
    }
}
