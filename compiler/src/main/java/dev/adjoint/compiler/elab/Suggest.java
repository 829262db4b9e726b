package dev.adjoint.compiler.elab;

/** "Did you mean ...?" for unknown names: the closest candidate within a small edit distance. */
final class Suggest {
    private Suggest() {
    }

    /**
     * The closest candidate, or null. A candidate that shares nothing with the name but its length is no
     * suggestion: every one-letter name is one edit from {@code q}, but only {@code Q} looks like it.
     */
    static String closest(String name, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Math.max(1, Math.min(2, name.length() / 3));
        for (String c : candidates) {
            int d = distance(name, c);
            boolean related = d < name.length() || c.equalsIgnoreCase(name);
            if (d <= bestDistance && related && (best == null || d < distance(name, best) || (d == distance(name, best)
                    && c.compareTo(best) < 0))) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
