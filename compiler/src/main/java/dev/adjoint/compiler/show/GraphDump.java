package dev.adjoint.compiler.show;

import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code adjoint show}: a model's forward graph, or its forward and gradient graph, as text (one node per
 * line, in execution order, with the source line it comes from) or as Graphviz DOT.
 */
public final class GraphDump {
    private GraphDump() {
    }

    /** The graph of one stage as text; {@code stage} names it in the header ({@code forward}, {@code gradient}). */
    public static String text(Graph g, String stage) {
        GraphView v = new GraphView(g);
        StringBuilder out = new StringBuilder();
        out.append("model ").append(g.model()).append(": ").append(stage).append(" graph, ")
                .append(v.nodes.size()).append(" nodes\n");
        int nameWidth = 0;
        int typeWidth = 0;
        for (Node n : v.nodes) {
            nameWidth = Math.max(nameWidth, v.name(n).length());
            typeWidth = Math.max(typeWidth, n.type().toString().length());
        }
        for (Node n : v.nodes) {
            StringBuilder line = new StringBuilder("  ");
            line.append(pad(v.name(n), nameWidth)).append(" : ").append(pad(n.type().toString(), typeWidth))
                    .append(" = ").append(expression(v, n));
            String origin = v.origin(n);
            if (!origin.isEmpty()) {
                line.append("   // ").append(origin);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        for (Map.Entry<String, Node> r : v.results.entrySet()) {
            out.append(r.getKey()).append(" = ").append(r.getValue() == null ? "0 (no path from the loss)"
                    : v.name(r.getValue())).append('\n');
        }
        return out.toString();
    }

    /** The graph of one stage as a Graphviz digraph (render with {@code dot -Tsvg}). */
    public static String dot(Graph g, String stage) {
        GraphView v = new GraphView(g);
        StringBuilder out = new StringBuilder();
        out.append("digraph ").append(quote(g.model() + " " + stage)).append(" {\n");
        out.append("  rankdir=TB;\n");
        out.append("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\","
                + " fontsize=10];\n");
        for (Node n : v.nodes) {
            String label = escape(v.name(n)) + "\\n" + escape(opText(n)) + "\\n" + n.type();
            String attrs;
            if (n.op() instanceof InputOp) {
                attrs = ", shape=ellipse, fillcolor=\"#dbeafe\"";
            } else if (n.op() instanceof ParamOp) {
                attrs = ", shape=ellipse, fillcolor=\"#dcfce7\"";
            } else if (v.isAdjoint(n)) {
                attrs = ", fillcolor=\"#fee2e2\"";
            } else {
                attrs = "";
            }
            out.append("  n").append(n.id()).append(" [label=\"").append(label).append('"').append(attrs)
                    .append("];\n");
        }
        for (Node n : v.nodes) {
            for (int i = 0; i < n.inputs().size(); i++) {
                out.append("  n").append(n.input(i).id()).append(" -> n").append(n.id());
                if (n.inputs().size() > 1) {
                    out.append(" [label=\"").append(i).append("\", fontsize=8]");
                }
                out.append(";\n");
            }
        }
        int result = 0;
        for (Map.Entry<String, Node> r : v.results.entrySet()) {
            if (r.getValue() != null) {
                String id = "r" + result++;
                out.append("  ").append(id).append(" [label=").append(quote(r.getKey()))
                        .append(", shape=plaintext, style=\"\"];\n");
                out.append("  n").append(r.getValue().id()).append(" -> ").append(id).append(" [style=dashed];\n");
            }
        }
        return out.append("}\n").toString();
    }

    static String expression(GraphView v, Node n) {
        if (n.op() instanceof InputOp) {
            return "input";
        }
        if (n.op() instanceof ParamOp) {
            return "param";
        }
        if (n.op() instanceof ConstantOp c) {
            return c.attributes().replace("value=", "");
        }
        String args = n.inputs().stream().map(v::name).collect(Collectors.joining(", "));
        String attrs = n.op().attributes();
        return n.op().name() + "(" + args + (attrs.isEmpty() ? "" : (args.isEmpty() ? "" : ", ") + attrs) + ")";
    }

    private static String opText(Node n) {
        if (n.op() instanceof InputOp || n.op() instanceof ParamOp) {
            return n.op() instanceof InputOp ? "input" : "param"; // the op's own name is the variable's
        }
        String attrs = n.op().attributes();
        return n.op().name() + (attrs.isEmpty() ? "" : " " + attrs);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String quote(String s) {
        return "\"" + escape(s) + "\"";
    }
}
