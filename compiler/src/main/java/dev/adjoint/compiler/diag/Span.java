package dev.adjoint.compiler.diag;

/**
 * A place in a model source: 1-based line and column of the first character, and the character
 * offsets [start, end) it covers (used to draw the caret under the offending token). The span of a
 * graph node built inside an unrolled {@code for} loop also says which iteration built it
 * ({@link #iteration()}, null elsewhere): the emitter writes repeated layers as a loop again.
 */
public record Span(SourceFile file, int line, int column, int start, int end, Iteration iteration) {

    /** A place outside any loop iteration. */
    public Span(SourceFile file, int line, int column, int start, int end) {
        this(file, line, column, start, end, null);
    }

    /**
     * The iteration of an unrolled {@code for} loop that built a node: the loop (where its {@code for}
     * is), its variable and value, and the iteration of the loop around it (null at the top).
     */
    public record Iteration(Span loop, String var, long index, Iteration outer) {

        /** The loops from the outermost in: {@code [outermost, ..., this]}. */
        public java.util.List<Iteration> path() {
            java.util.ArrayList<Iteration> out = new java.util.ArrayList<>();
            for (Iteration i = this; i != null; i = i.outer) {
                out.add(0, i);
            }
            return out;
        }

        /** Whether both are iterations of the same loop (the same {@code for} written in the source). */
        public boolean sameLoop(Iteration other) {
            return other != null && loop.start() == other.loop.start() && loop.file() == other.loop.file();
        }
    }

    /** This place, as built in {@code it} (null: outside any loop). */
    public Span in(Iteration it) {
        return it == iteration ? this : new Span(file, line, column, start, end, it);
    }

    /** The smallest span covering both (same file). */
    public Span to(Span other) {
        if (other == null) {
            return this;
        }
        Span first = start <= other.start ? this : other;
        return new Span(file, first.line, first.column, Math.min(start, other.start), Math.max(end, other.end));
    }

    /** {@code file:line:col}. */
    public String where() {
        return file.name() + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return where();
    }
}
