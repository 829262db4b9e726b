package dev.adjoint.compiler.show;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Poly;
import dev.adjoint.compiler.pass.GraphStats;
import dev.adjoint.compiler.plan.Checkpoints;
import dev.adjoint.compiler.plan.ExecutionPlan;
import dev.adjoint.compiler.plan.HeldBytes;
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
        return text(plan, null, Map.of());
    }

    /**
     * The plan as text, with what the checkpoint policy kept and recomputed ({@code checkpointing} null under
     * {@code none}) and the bytes held for the backward pass, evaluated for {@code dims} when every dim has a value.
     */
    public static String text(ExecutionPlan plan, Checkpoints.Result checkpointing, Map<String, Integer> dims) {
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

        checkpoints(out, plan, v, checkpointing, dims);

        out.append("\nbuffers\n");
        Map<Buffer, List<Node>> held = new LinkedHashMap<>();
        plan.buffers().forEach(b -> held.put(b, new ArrayList<>()));
        for (Step s : steps) {
            for (Node n : s.written()) {
                Buffer b = plan.bufferOf().get(n);
                if (b != null && plan.lifetimes().containsKey(n)) {
                    held.get(b).add(n);
                }
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
            s.stores().forEach(f -> fused.add(v.name(f) + " (stored in buf" + plan.bufferOf().get(f).id() + ")"));
            String pass = i < plan.outputSteps() ? "outputs" : i < plan.forward().size() ? "forward" : "backward";
            rows.add(new String[] {Integer.toString(i + 1), pass,
                    s.kind().name().toLowerCase(java.util.Locale.ROOT), v.name(s.node()) + " = "
                            + GraphDump.expression(v, s.node()), writes, String.join(", ", fused)});
        }
        table(out, rows);
        return out.toString();
    }

    /** Kept and recomputed values, extra FLOPs, and the peak bytes held for the backward pass. */
    private static void checkpoints(StringBuilder out, ExecutionPlan plan, GraphView v, Checkpoints.Result r,
            Map<String, Integer> dims) {
        if (!plan.graph().hasLoss()) {
            return;
        }
        out.append("\ncheckpoint ").append(r == null ? "none" : r.policy().toString()).append(": ");
        List<String> kept = new ArrayList<>();
        List<String> recomputed = new ArrayList<>();
        if (r == null) {
            Checkpoints.candidates(plan.graph()).forEach(n -> kept.add(v.name(n)));
            out.append("every forward value the backward pass reads is kept\n");
        } else {
            r.kept().stream().sorted(java.util.Comparator.comparingInt(Node::id)).forEach(n -> kept.add(v.name(n)));
            r.recomputed().entrySet().stream().sorted(java.util.Comparator.comparingInt(e -> e.getKey().id()))
                    .forEach(e -> recomputed.add(v.name(e.getKey()) + " (as " + v.name(e.getValue()) + ")"));
            out.append(r.segments()).append(" segments of the forward chain, ").append(recomputed.size())
                    .append(recomputed.size() == 1 ? " value" : " values").append(" recomputed in the backward pass;")
                    .append(" extra FLOPs = ").append(r.extraFlops()).append('\n');
        }
        out.append("  stored for the backward pass (").append(kept.size()).append("): ").append(list(kept))
                .append('\n');
        if (!recomputed.isEmpty()) {
            out.append("  recomputed (").append(recomputed.size()).append("): ").append(list(recomputed))
                    .append('\n');
        }
        String what = "   (forward values held for the backward pass, from the step that computes them to their last"
                + " backward read; params, their gradients, inputs and kernel scratch not counted)\n";
        if (dims.keySet().containsAll(plan.graph().dims())) {
            HeldBytes held = HeldBytes.of(plan, r == null ? java.util.Set.of() : r.copies(), dims);
            out.append("held = ").append(String.format("%,d", held.peak())).append(" bytes at most")
                    .append(dims.isEmpty() ? "" : " for " + dims).append(what);
        } else {
            out.append("held: give --plan-dims ").append(String.join(",", plan.graph().dims().stream()
                    .map(d -> d + "=64").toList())).append(" for the peak bytes of forward values held for the")
                    .append(" backward pass\n");
        }
    }

    private static String list(List<String> names) {
        if (names.size() <= 12) {
            return names.isEmpty() ? "none" : String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 10)) + ", ... " + names.get(names.size() - 1);
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
