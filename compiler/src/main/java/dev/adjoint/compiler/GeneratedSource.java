package dev.adjoint.compiler;

/**
 * One Java compilation unit the compiler generated.
 *
 * @param qualifiedName the top-level class, e.g. {@code com.acme.DigitsMlp}
 * @param text the source text
 * @param test whether it belongs in test sources (the gradient test and its helpers)
 */
public record GeneratedSource(String qualifiedName, String text, boolean test) {
    /** The path below a source root, e.g. {@code com/acme/DigitsMlp.java}. */
    public String relativePath() {
        return qualifiedName.replace('.', '/') + ".java";
    }

    /** The class name without its package. */
    public String simpleName() {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }
}
