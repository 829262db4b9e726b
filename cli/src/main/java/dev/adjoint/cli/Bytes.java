package dev.adjoint.cli;

import java.util.Locale;

/** Byte counts as messages show them. */
final class Bytes {
    private Bytes() {
    }

    /** {@code 3,600,000,000 bytes (3.4 GiB)}; below a MiB only the exact count. */
    static String size(long bytes) {
        String exact = String.format(Locale.ROOT, "%,d bytes", bytes);
        if (bytes < 1L << 20) {
            return exact;
        }
        double gib = bytes / (double) (1L << 30);
        return exact + (gib >= 1 ? String.format(Locale.ROOT, " (%.1f GiB)", gib)
                : String.format(Locale.ROOT, " (%.1f MiB)", bytes / (double) (1L << 20)));
    }

    /** {@code the Java heap holds at most 4,294,967,296 bytes (4.0 GiB)}. */
    static String heap() {
        return "the Java heap holds at most " + size(Runtime.getRuntime().maxMemory());
    }
}
