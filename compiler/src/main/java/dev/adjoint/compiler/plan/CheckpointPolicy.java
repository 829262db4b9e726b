package dev.adjoint.compiler.plan;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which forward values the gradient keeps for the backward pass and which it recomputes there
 * ({@code --checkpoint none|sqrt|budget:SIZE}); see {@link Checkpoints}.
 *
 * @param kind what to do
 * @param budgetBytes for {@link Kind#BUDGET}, the most bytes of forward values held for the backward pass at once
 *     (see {@link HeldBytes}); otherwise 0
 */
public record CheckpointPolicy(Kind kind, long budgetBytes) {

    /** The policies. */
    public enum Kind {
        /** Keep every value the backward pass reads (no recomputation). */
        NONE,
        /** Keep about √n of the n segment boundaries of the forward chain, and recompute each segment once. */
        SQRT,
        /** The fewest recomputed FLOPs that keep the held bytes within the budget. */
        BUDGET
    }

    public static final CheckpointPolicy NONE = new CheckpointPolicy(Kind.NONE, 0);
    public static final CheckpointPolicy SQRT = new CheckpointPolicy(Kind.SQRT, 0);

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmg]i?b?|b)?");

    public CheckpointPolicy {
        if (kind == null) {
            throw new IllegalArgumentException("no checkpoint policy");
        }
        if ((kind == Kind.BUDGET) != (budgetBytes > 0)) {
            throw new IllegalArgumentException(kind == Kind.BUDGET ? "a checkpoint budget must be positive"
                    : "only budget: has a size");
        }
    }

    /** {@code budget:SIZE} of {@code bytes}. */
    public static CheckpointPolicy budget(long bytes) {
        return new CheckpointPolicy(Kind.BUDGET, bytes);
    }

    /**
     * {@code none}, {@code sqrt} or {@code budget:SIZE}, where SIZE is a number of bytes with an optional unit
     * {@code B}, {@code KB}, {@code MB}, {@code GB} (powers of 1024; {@code KiB}... are the same; case does not
     * matter): {@code budget:64MB}, {@code budget:1.5GB}, {@code budget:200000}.
     *
     * @throws IllegalArgumentException with a message that shows the accepted forms
     */
    public static CheckpointPolicy parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        if (t.equals("sqrt")) {
            return SQRT;
        }
        if (t.startsWith("budget:")) {
            Matcher m = SIZE.matcher(t.substring("budget:".length()).trim());
            if (m.matches()) {
                double v = Double.parseDouble(m.group(1));
                String unit = m.group(2) == null ? "b" : m.group(2);
                long scale = switch (unit.charAt(0)) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    case 'g' -> 1L << 30;
                    default -> 1L;
                };
                double bytes = v * scale;
                if (bytes >= 1 && bytes < Long.MAX_VALUE) {
                    return budget((long) bytes);
                }
            }
            throw new IllegalArgumentException("--checkpoint " + text + ": the budget must be a positive size such"
                    + " as budget:64MB, budget:512KB or budget:1000000 (bytes)");
        }
        throw new IllegalArgumentException("--checkpoint " + text + ": expected none, sqrt or budget:SIZE"
                + " (SIZE such as 64MB)");
    }

    /**
     * Plan dims as written: {@code B=64,T=10} (empty or null for none).
     *
     * @throws IllegalArgumentException starting {@code --plan-dims TEXT:} for anything else
     */
    public static java.util.Map<String, Integer> parseDims(String text) {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", -1);
            int v = -1;
            if (kv.length == 2 && kv[1].trim().matches("\\d{1,9}")) {
                v = Integer.parseInt(kv[1].trim());
            }
            if (v < 1 || !kv[0].trim().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("--plan-dims " + text + ": expected NAME=N pairs with N >= 1,"
                        + " separated by commas (B=64)");
            }
            out.put(kv[0].trim(), v);
        }
        return out;
    }

    /** As written on the command line: {@code none}, {@code sqrt}, {@code budget:67108864}. */
    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case SQRT -> "sqrt";
            case BUDGET -> "budget:" + budgetBytes;
        };
    }
}
