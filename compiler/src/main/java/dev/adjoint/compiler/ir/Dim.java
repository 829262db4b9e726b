package dev.adjoint.compiler.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One dimension of a shape: a monomial {@code coefficient * s1 * s2 * ...} over symbolic {@code dim}s.
 * A fixed size has no symbols ({@code 64}); a plain symbolic dimension has coefficient 1 ({@code B});
 * reshapes can produce products ({@code 64*B}). Symbols are kept sorted, so equal monomials are equal
 * records. Sums of different symbols are not representable; operations that would need one report an
 * error instead.
 */
public record Dim(long coefficient, List<String> symbols) {

    public Dim {
        if (coefficient < 0) {
            throw new IllegalArgumentException("negative dimension " + coefficient);
        }
        List<String> sorted = new ArrayList<>(symbols);
        Collections.sort(sorted);
        symbols = List.copyOf(sorted);
    }

    public static Dim of(long size) {
        return new Dim(size, List.of());
    }

    public static Dim sym(String name) {
        return new Dim(1, List.of(name));
    }

    /** True for a fixed size (no symbolic factor). */
    public boolean isFixed() {
        return symbols.isEmpty();
    }

    /** The fixed size; only for {@link #isFixed()} dimensions. */
    public long size() {
        if (!isFixed()) {
            throw new IllegalStateException("symbolic dimension " + this);
        }
        return coefficient;
    }

    public boolean isOne() {
        return isFixed() && coefficient == 1;
    }

    public Dim times(Dim other) {
        List<String> syms = new ArrayList<>(symbols);
        syms.addAll(other.symbols);
        return new Dim(Math.multiplyExact(coefficient, other.coefficient), syms);
    }

    /** This divided by {@code other}, if the quotient is again a monomial with an integer coefficient. */
    public Optional<Dim> dividedBy(Dim other) {
        if (other.coefficient == 0 || coefficient % other.coefficient != 0) {
            return Optional.empty();
        }
        List<String> rest = new ArrayList<>(symbols);
        for (String s : other.symbols) {
            if (!rest.remove(s)) {
                return Optional.empty();
            }
        }
        return Optional.of(new Dim(coefficient / other.coefficient, rest));
    }

    /** The sum, if both have the same symbolic part ({@code B + B = 2*B}, {@code 3 + 4 = 7}). */
    public Optional<Dim> plus(Dim other) {
        if (!symbols.equals(other.symbols)) {
            return Optional.empty();
        }
        return Optional.of(new Dim(Math.addExact(coefficient, other.coefficient), symbols));
    }

    @Override
    public String toString() {
        if (symbols.isEmpty()) {
            return Long.toString(coefficient);
        }
        String product = String.join("*", symbols);
        return coefficient == 1 ? product : coefficient + "*" + product;
    }
}
