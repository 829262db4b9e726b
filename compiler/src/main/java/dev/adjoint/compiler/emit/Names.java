package dev.adjoint.compiler.emit;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * A tiny NameAllocator: turns model names ({@code W[0]}, {@code class}) into distinct, valid Java
 * identifiers ({@code W_0}, {@code class_}). Deterministic: the same requests in the same order give the
 * same names.
 */
final class Names {
    /** The form of the generated loops' locals (compiled once: a name is allocated for every value). */
    private static final java.util.regex.Pattern LOOP_LOCAL = java.util.regex.Pattern.compile("[ijo][0-9]*|s|[ev][0-9]+");
    private final Set<String> taken = new HashSet<>();
    private final java.util.Map<String, Integer> nextSuffix = new java.util.HashMap<>();

    Names(String... reserved) {
        taken.addAll(Arrays.asList(reserved));
    }

    /** Every identifier handed out or reserved so far. */
    Set<String> taken() {
        return java.util.Collections.unmodifiableSet(taken);
    }

    /** A fresh identifier as close to {@code wanted} as possible. */
    String allocate(String wanted) {
        String base = sanitize(wanted);
        if (LOOP_LOCAL.matcher(base).matches()) {
            base = base + "_";  // the form of the generated loops' locals (i, i0, j, o, o1, s, e0, v1)
        }
        if (taken.add(base)) {
            return base;
        }
        int k = nextSuffix.getOrDefault(base, 2);
        while (!taken.add(base + "_" + k)) {
            k++;
        }
        nextSuffix.put(base, k + 1);
        return base + "_" + k;
    }

    static String sanitize(String wanted) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < wanted.length(); i++) {
            char c = wanted.charAt(i);
            boolean ok = b.length() == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c);
            if (ok && c < 128) {
                b.append(c);
            } else if (b.length() == 0 && Character.isDigit(c)) {
                b.append('_').append(c);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '_') {
                b.append('_');
            }
        }
        while (b.length() > 1 && b.charAt(b.length() - 1) == '_' && wanted.endsWith("]")) {
            b.setLength(b.length() - 1);
        }
        String s = b.length() == 0 ? "_v" : b.toString();
        if (s.equals("_") || SourceVersion.isKeyword(s) || s.equals("var") || s.equals("record")
                || s.equals("yield") || s.equals("sealed") || s.equals("permits")) {
            s = s + "_";
        }
        return s;
    }
}
