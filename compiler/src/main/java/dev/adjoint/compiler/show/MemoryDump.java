package dev.adjoint.compiler.show;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Poly;
import dev.adjoint.compiler.pass.GraphStats;
import dev.adjoint.compiler.plan.ExecutionPlan;
import dev.adjoint.compiler.plan.ExecutionPlan.Buffer;
import dev.adjoint.compiler.plan.ExecutionPlan.Step;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code adjoint show --stage memory}: the execution plan of a model as text. First the planned peak, the bytes
 * of every buffer of one call as a formula of the dims; then each buffer with its size and the values it holds in
 * turn, each with its lifetime (the step that defines it and the last step that reads it); then the steps, in
 * order, each with the values fused into its loop and the buffer it writes. Buffer names are the generated
 * class's ({@code buf3}); value names are those of {@code show --stage optimized} and of the generated code.
 */
public final class MemoryDump {
    private MemoryDump() {
    }

    /** The plan as text. */
    public static String text(ExecutionPlan plan) {
        GraphView v = new GraphView(plan.graph());
        List<Step> steps = plan.steps();
        Map<Node, Integer> number = new IdentityHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            number.put(steps.get(i).node(), i + 1);
        }
        StringBuilder out = new StringBuilder();
        out.append("model ").append(plan.graph().model()).append(": memory plan, ").append(steps.size())
                .append(" steps (").append(plan.forward().size()).append(" forward, of which ")
                .append(plan.outputSteps()).append(" for the outputs; ")
                .append(plan.backward().size()).append(" backward), ").append(plan.buffers().size())
                .append(plan.buffers().size() == 1 ? " buffer\n" : " buffers\n");
        out.append("peak = ").append(plan.peakBytes()).append(" bytes")
                .append("   (the buffers of one call, allocated once per binding of the dims;")
                .append(" parameters and inputs not counted)\n");

        out.append("\nbuffers\n");
        Map<Buffer, List<Node>> held = new LinkedHashMap<>();
        plan.buffers().forEach(b -> held.put(b, new ArrayList<>()));
        for (Step s : steps) {
            Buffer b = plan.bufferOf().get(s.node());
            if (b != null && plan.lifetimes().containsKey(s.node())) {
                held.get(b).add(s.node());
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"buffer", "type", "bytes", "holds (defined in step .. last read in step)"});
        for (Buffer b : plan.buffers()) {
            List<String> holds = new ArrayList<>();
            for (Node n : held.get(b)) {
                int[] life = plan.lifetimes().get(n);
                holds.add(v.name(n) + " " + (life[0] + 1) + ".." + lastRead(life));
            }
            plan.rootCopies().forEach((n, c) -> {
                if (c == b) {
                    holds.add(v.name(n) + " (a copy of the result, written at the end)");
                }
            });
            plan.zeroGradients().forEach((name, c) -> {
                if (c == b) {
                    holds.add("zeros: the gradient " + name + " (no path from the loss)");
                }
            });
            plan.scratch().forEach((n, m) -> m.forEach((purpose, c) -> {
                if (c == b) {
                    holds.add(purpose + " of " + v.name(n) + " in step " + number.get(n));
                }
            }));
            Poly bytes = Poly.of(b.size().times(Dim.of(GraphStats.elementBytes(b.dtype()))));
            rows.add(new String[] {"buf" + b.id(), b.dtype() + "[" + b.size() + "]", bytes.toString(),
                    String.join(", ", holds)});
        }
        table(out, rows);

        out.append("\nsteps\n");
        rows = new ArrayList<>();
        rows.add(new String[] {"#", "pass", "kind", "value", "writes", "fuses"});
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            Buffer b = plan.bufferOf().get(s.node());
            String writes = switch (s.kind()) {
                case ALIAS -> b == null ? "(view)" : "(view of buf" + b.id() + ")";
                default -> b == null ? "" : "buf" + b.id();
            };
            List<String> fused = new ArrayList<>();
            s.fused().forEach(f -> fused.add(v.name(f)));
            String pass = i < plan.outputSteps() ? "outputs" : i < plan.forward().size() ? "forward" : "backward";
            rows.add(new String[] {Integer.toString(i + 1), pass,
                    s.kind().name().toLowerCase(java.util.Locale.ROOT), v.name(s.node()) + " = "
                            + GraphDump.expression(v, s.node()), writes, String.join(", ", fused)});
        }
        table(out, rows);
        return out.toString();
    }

    private static String lastRead(int[] life) {
        return life[1] == Integer.MAX_VALUE ? "end" : Integer.toString(life[1] + 1);
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < r.length; c++) {
                line.append(' ').append(r[c]).append(" ".repeat(width[c] - r[c].length())).append(' ');
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
