package dev.adjoint.cli;

import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.emit.JavaEmitter;
import dev.adjoint.compiler.show.GraphDump;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code adjoint show FILE.model --stage forward|gradient [--format text|dot]}: print a model's graph. */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = {"Prints a model's computation graph for inspection: the forward graph, or the forward and"
                + " gradient graph that reverse-mode differentiation produces (adjoints are named d<name>).",
                "Text lists one node per line in execution order with the model line it comes from; dot is Graphviz"
                + " input (render with: dot -Tsvg)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:printed", "1:the model has errors (printed on standard error)",
                "2:bad usage, or --stage optimized (not built yet)"})
final class ShowCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.model", description = "the model file")
    Path file;

    @Option(names = "--stage", paramLabel = "STAGE",
            description = "forward, gradient or optimized (optimized needs the optimizer, not built yet); required"
                    + " for text and dot, not for java")
    String stage;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default), dot, or java (the generated class, which holds forward and gradient)")
    String format;

    @Option(names = "--model", paramLabel = "NAME", description = "the model to show, when the file has several")
    String modelName;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (stage == null && !"java".equals(format)) {
            err.println("adjoint show: give --stage forward, gradient or optimized (or --format java for the generated"
                    + " class)");
            return 2;
        }
        if (stage != null && !List.of("forward", "gradient", "optimized").contains(stage)) {
            err.println("adjoint show: unknown stage '" + stage + "'; expected forward, gradient or optimized");
            return 2;
        }
        if (!List.of("text", "dot", "java").contains(format)) {
            err.println("adjoint show: unknown format '" + format + "'; expected text, dot or java");
            return 2;
        }
        if ("optimized".equals(stage)) {
            err.println("adjoint show: --stage optimized is not available yet: the optimizer (CSE, fusion, buffer"
                    + " reuse, checkpointing) is not built; use --stage forward or --stage gradient");
            return 2;
        }
        List<ModelGraph> all = ModelFiles.analyze(file, false, err);
        if (all == null) {
            return 1;
        }
        List<ModelGraph> models = ModelFiles.select(all, modelName, err);
        if (models == null) {
            return 2;
        }
        StringBuilder text = new StringBuilder();
        for (ModelGraph m : models) {
            if ("gradient".equals(stage) && !m.hasLoss()) {
                err.println(file + ": model " + m.name() + " has no loss, so it has no gradient graph");
                return 1;
            }
            if (format.equals("java")) {
                text.append(JavaEmitter.source(m, "")); // one class holds both the forward and the gradient
            } else {
                text.append(format.equals("dot") ? GraphDump.dot(m, stage) : GraphDump.text(m, stage));
            }
        }
        out.print(text);
        out.flush();
        return 0;
    }
}
