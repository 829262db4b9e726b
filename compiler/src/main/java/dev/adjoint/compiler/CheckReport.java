package dev.adjoint.compiler;

import dev.adjoint.compiler.elab.ModelGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code adjoint check} prints: for each model, every named value with its type and shape, one per line,
 * in source order. A statement inside an unrolled loop is printed once per distinct type it takes, with how
 * many times it ran, so a 400-layer model still reads in a screen.
 */
public final class CheckReport {
    private CheckReport() {
    }

    public static String format(List<ModelGraph> models) {
        StringBuilder out = new StringBuilder();
        for (ModelGraph m : models) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append("model ").append(m.name()).append('\n');
            record Row(String kind, String name, String detail, int line) {
            }
            Map<Row, Integer> rows = new LinkedHashMap<>();
            for (ModelGraph.Binding b : m.bindings()) {
                rows.merge(new Row(b.kind(), b.name(), b.detail(), b.span().line()), b.count(), Integer::sum);
            }
            int kindWidth = 0;
            int nameWidth = 0;
            for (Row r : rows.keySet()) {
                kindWidth = Math.max(kindWidth, r.kind().length());
                nameWidth = Math.max(nameWidth, r.name().length());
            }
            List<String> lines = new ArrayList<>();
            for (Map.Entry<Row, Integer> e : rows.entrySet()) {
                Row r = e.getKey();
                StringBuilder line = new StringBuilder("  ");
                line.append(pad(r.kind(), kindWidth)).append(' ');
                line.append(r.detail().isEmpty() ? r.name() : pad(r.name(), nameWidth) + " " + r.detail());
                if (e.getValue() > 1) {
                    line.append("  (x").append(e.getValue()).append(", line ").append(r.line()).append(')');
                }
                lines.add(line.toString().stripTrailing());
            }
            lines.forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
