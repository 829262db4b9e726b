package dev.adjoint.compiler.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A polynomial in the model's {@code dim}s with integer coefficients: a sum of monomials ({@link Dim}s), such as
 * the bytes or floating-point operations of a graph, {@code 4736·B + 412160}. Immutable; terms with equal
 * symbols are combined, so equal polynomials are equal values.
 */
public final class Poly {
    public static final Poly ZERO = new Poly(Map.of());

    /** Symbols (sorted, with repeats) to coefficient; no zero coefficients. */
    private final Map<List<String>, Long> terms;

    private static final Comparator<List<String>> ORDER = Comparator.comparing(l -> String.join("*", l));

    private Poly(Map<List<String>, Long> terms) {
        Map<List<String>, Long> sorted = new TreeMap<>(ORDER);
        sorted.putAll(terms);
        this.terms = Collections.unmodifiableMap(sorted);
    }

    /** The monomial {@code d}. */
    public static Poly of(Dim d) {
        return d.coefficient() == 0 ? ZERO : new Poly(Map.of(d.symbols(), d.coefficient()));
    }

    public static Poly of(long constant) {
        return of(Dim.of(constant));
    }

    public Poly plus(Poly other) {
        Map<List<String>, Long> sum = new java.util.HashMap<>(terms);
        other.terms.forEach((k, v) -> sum.merge(k, v, Math::addExact));
        sum.values().removeIf(v -> v == 0);
        return new Poly(sum);
    }

    public Poly plus(Dim d) {
        return plus(of(d));
    }

    /** This times the monomial {@code d}. */
    public Poly times(Dim d) {
        Map<List<String>, Long> out = new java.util.HashMap<>();
        terms.forEach((k, v) -> {
            List<String> syms = new ArrayList<>(k);
            syms.addAll(d.symbols());
            Collections.sort(syms);
            out.merge(List.copyOf(syms), Math.multiplyExact(v, d.coefficient()), Math::addExact);
        });
        out.values().removeIf(v -> v == 0);
        return new Poly(out);
    }

    /**
     * The value with each symbol bound.
     *
     * @throws IllegalArgumentException naming a symbol that is not bound
     */
    public long eval(Map<String, ? extends Number> dims) {
        long total = 0;
        for (Map.Entry<List<String>, Long> t : terms.entrySet()) {
            long v = t.getValue();
            for (String s : t.getKey()) {
                Number n = dims.get(s);
                if (n == null) {
                    throw new IllegalArgumentException("no value for dim " + s);
                }
                v = Math.multiplyExact(v, n.longValue());
            }
            total = Math.addExact(total, v);
        }
        return total;
    }

    /** The terms: each monomial's symbols (sorted, with repeats) to its coefficient. */
    public Map<List<String>, Long> terms() {
        return terms;
    }

    public boolean isZero() {
        return terms.isEmpty();
    }

    /** The symbols the polynomial uses, sorted. */
    public List<String> symbols() {
        return terms.keySet().stream().flatMap(List::stream).distinct().sorted().toList();
    }

    /**
     * {@code 4,736·B + 412,160}: highest degree first, then by symbols; coefficients with thousands separators;
     * {@code 0} for zero.
     */
    @Override
    public String toString() {
        if (terms.isEmpty()) {
            return "0";
        }
        List<Map.Entry<List<String>, Long>> sorted = new ArrayList<>(terms.entrySet());
        sorted.sort(Comparator.<Map.Entry<List<String>, Long>>comparingInt(e -> -e.getKey().size())
                .thenComparing(e -> String.join("·", e.getKey())));
        StringBuilder b = new StringBuilder();
        for (Map.Entry<List<String>, Long> t : sorted) {
            long c = t.getValue();
            if (b.length() > 0) {
                b.append(c < 0 ? " - " : " + ");
            } else if (c < 0) {
                b.append('-');
            }
            long abs = Math.abs(c);
            String syms = String.join("·", t.getKey());
            if (syms.isEmpty()) {
                b.append(String.format(java.util.Locale.ROOT, "%,d", abs));
            } else {
                b.append(abs == 1 ? "" : String.format(java.util.Locale.ROOT, "%,d·", abs)).append(syms);
            }
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Poly p && terms.equals(p.terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }
}
