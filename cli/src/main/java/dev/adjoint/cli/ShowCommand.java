package dev.adjoint.cli;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.ModelTooLargeException;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.pass.GraphStats;
import dev.adjoint.compiler.pass.Stage;
import dev.adjoint.compiler.plan.CheckpointException;
import dev.adjoint.compiler.show.GraphDump;
import dev.adjoint.compiler.show.MemoryDump;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code adjoint show FILE.model --stage forward|gradient|optimized|memory [--format text|dot|java] [--stats]}:
 * print a model's graph at one stage of the compiler, its memory plan, its generated class, or the statistics of
 * every pass.
 */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = {"Prints a model's computation graph for inspection: the forward graph, the forward and"
                + " gradient graph that reverse-mode differentiation produces (adjoints are named d<name>), or the"
                + " optimized graph the Java is generated from; or, with --stage memory, the memory plan: the planned"
                + " peak bytes as a formula of the dims, every buffer with its size and the values it holds in turn"
                + " (with their lifetimes in steps), and the steps with the values fused into their loops.",
                "Text lists one node per line in execution order with the model line it comes from; dot is Graphviz"
                + " input (render with: dot -Tsvg); java is the generated class (no --stage needed).",
                "--stats prints, for every pass up to the stage, the nodes, estimated FLOPs and bytes of"
                + " intermediate values before and after it, as formulas of the dims, and the rewrites that fired."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:printed", "1:the model has errors (printed on standard error)", "2:bad usage"})
final class ShowCommand implements Callable<Integer> {
    private static final List<String> STAGES = List.of("forward", "gradient", "optimized", "memory");

    @Parameters(index = "0", paramLabel = "FILE.model", description = "the model file")
    Path file;

    @Option(names = "--stage", paramLabel = "STAGE",
            description = "forward, gradient, optimized or memory (required except with --format java)")
    String stage;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default), dot, or java (the generated class, which holds forward and gradient)")
    String format;

    @Option(names = "--stats", description = "per-pass statistics up to the stage instead of the graph")
    boolean stats;

    @Option(names = "--timings", description = "with --stats: also how long each pass and the Java emission took")
    boolean timings;

    @Option(names = "--model", paramLabel = "NAME", description = "the model to show, when the file has several")
    String modelName;

    @CommandLine.Mixin
    CheckpointPolicyOptions checkpointing;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("text", "dot", "java").contains(format)) {
            err.println("adjoint show: unknown format '" + format + "'; expected text, dot or java");
            return 2;
        }
        if (stage == null && !format.equals("java")) {
            err.println("adjoint show: give --stage forward, gradient, optimized or memory (only --format java needs"
                    + " none)");
            return 2;
        }
        if (stage != null && !STAGES.contains(stage)) {
            err.println("adjoint show: unknown stage '" + stage + "'; expected forward, gradient, optimized or memory");
            return 2;
        }
        if ("memory".equals(stage) && format.equals("dot")) {
            err.println("adjoint show: the memory plan prints as text only; --format dot shows a graph stage");
            return 2;
        }
        Compiler.Options options;
        try {
            options = checkpointing.apply(Compiler.Options.defaults());
        } catch (IllegalArgumentException e) {
            err.println("adjoint show: " + e.getMessage());
            return 2;
        }
        Compilation all = ModelFiles.compile(file, options, err);
        if (all == null) {
            return 1;
        }
        List<CompiledModel> models = ModelFiles.select(all.models(), modelName, err);
        if (models == null) {
            return 2;
        }
        StringBuilder text = new StringBuilder();
        try {
            for (CompiledModel m : models) {
                if (!show(m, text, err)) {
                    return 1;
                }
            }
        } catch (CheckpointException e) {
            err.println(file + ": error: " + e.getMessage());
            return 2;
        }
        out.print(text);
        out.flush();
        return 0;
    }

    /** Appends what to show of {@code m}; false after printing why there is nothing. */
    private boolean show(CompiledModel m, StringBuilder text, PrintWriter err) {
        if ("gradient".equals(stage) && !m.front().hasLoss()) {
            err.println(file + ": model " + m.name() + " has no loss, so it has no gradient graph");
            return false;
        }
        try {
            if (stats) {
                text.append(statistics(m, stage == null || stage.equals("memory") ? "optimized" : stage, timings));
            } else if (format.equals("java")) {
                text.append(m.javaSource()); // one class holds both the forward and the gradient
            } else if (stage.equals("memory")) {
                text.append(MemoryDump.text(m.plan(), m.checkpointing(), m.options().planDims()));
            } else {
                Graph g = m.stage(stage);
                text.append(format.equals("dot") ? GraphDump.dot(g, stage) : GraphDump.text(g, stage));
            }
        } catch (ModelTooLargeException e) {
            Diagnostics d = new Diagnostics();
            d.add(e.diagnostic());
            err.print(d.format());
            err.flush();
            return false;
        }
        return true;
    }

    /** One row per stage up to {@code upTo}: nodes, FLOPs and intermediate bytes; then the rewrites that fired. */
    private static String statistics(CompiledModel m, String upTo, boolean timings) {
        List<Stage> stages = m.stages();
        int last = upTo.equals("forward") ? 0 : upTo.equals("gradient") ? 1 : stages.size() - 1;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"stage", "nodes", "FLOPs", "intermediate bytes"});
        for (int i = 0; i <= last; i++) {
            GraphStats s = GraphStats.of(stages.get(i).graph());
            rows.add(new String[] {stages.get(i).name(), Integer.toString(s.nodes()), s.flops().toString(),
                s.bytes().toString()});
        }
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int c = 0; c < 4; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder("model ").append(m.name())
                .append(": statistics per pass (FLOPs and bytes as formulas of the dims)\n");
        for (String[] r : rows) {
            b.append("  ").append(pad(r[0], width[0])).append("  ").append(lead(r[1], width[1])).append("  ")
                    .append(pad(r[2], width[2])).append("  ").append(r[3]).append('\n');
        }
        if (timings) {
            long total = 0;
            List<String> parts = new ArrayList<>();
            for (int i = 1; i <= last; i++) {
                total += stages.get(i).nanos();
                parts.add(stages.get(i).name() + " " + millis(stages.get(i).nanos()));
            }
            m.javaFile();
            parts.add("emit Java " + millis(m.emitNanos()));
            b.append("timings (ms, this run; the front end before them is not counted): ")
                    .append(String.join(", ", parts)).append("; passes and emission ")
                    .append(millis(total + m.emitNanos())).append('\n');
        }
        Map<String, Integer> rewrites = stages.get(last).graph().rewrites();
        if (!rewrites.isEmpty()) {
            List<String> fired = new ArrayList<>();
            rewrites.forEach((rule, n) -> fired.add(rule + " ×" + n));
            b.append("rewrites: ").append(String.join(", ", fired)).append('\n');
        }
        return b.toString();
    }

    private static String millis(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String lead(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }
}
