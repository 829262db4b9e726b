package dev.adjoint.cli;

import dev.adjoint.compiler.ops.StopGradientOp;
import dev.adjoint.runtime.check.GradientCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code adjoint gradcheck FILE.model}: the compiled gradient against central finite differences, in f64.
 * An f32 model is checked through its f64 twin (the same graph with f32 read as f64), so the comparison
 * measures the gradient code, not float rounding.
 */
@Command(name = "gradcheck",
        mixinStandardHelpOptions = true,
        description = {"Compiles a model (f32 models as their f64 twin), draws random inputs (uniform in [0.1, 1])"
                + " and parameters (their initializers plus uniform noise of 0.1) from --seed, and compares the generated gradient of every param and input grad with central"
                + " finite differences. Prints the worst relative error per gradient; exits 1 if any exceeds the"
                + " tolerance.",
                "Labels (i32 inputs used by cross_entropy or one_hot) are drawn in range. Large tensors are"
                + " checked at a seeded sample of --elements elements, always including the first and last; a model"
                + " with many gradients at fewer, --budget in all.",
                "Each element is compared with central differences at steps h and 2h (their difference estimates"
                + " the achieved accuracy, printed per gradient); an element off by more than 1e-6 is measured"
                + " again by Ridders' extrapolation (for steep functions) and at smaller steps (for kinks)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every gradient within tolerance", "1:a gradient exceeds the tolerance, or the model"
                + " has errors or no loss", "2:bad command-line usage"})
final class GradcheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.model", description = "the model file")
    Path file;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "random seed (default: 0)")
    long seed;

    @Option(names = "--model", paramLabel = "NAME", description = "the model, when the file has several")
    String modelName;

    @Option(names = "--dims", split = ",", paramLabel = "D=N",
            description = "sizes of symbolic dims, e.g. B=4 (default: 3 for each)")
    Map<String, Integer> dims = new HashMap<>();

    @Option(names = "--tolerance", defaultValue = "1e-5", paramLabel = "T",
            description = "largest accepted relative error (default: 1e-5)")
    double tolerance;

    @Option(names = "--elements", defaultValue = "24", paramLabel = "K",
            description = "elements checked per gradient tensor (default: 24)")
    int elements;

    @Option(names = "--budget", paramLabel = "N",
            description = "elements checked in all: a model with many gradients gets fewer elements per gradient,"
                    + " and with more gradients than N a seeded sample of N gradients, one element each (default: "
                    + GradientCheck.DEFAULT_BUDGET + ", fewer for a model with over 100,000 param elements, down to "
                    + GradientCheck.DEFAULT_ELEMENTS + ")")
    Integer budget;

    @Option(names = "--step", defaultValue = "" + GradientCheck.STEP, paramLabel = "H",
            description = "step of the central differences, relative to max(1, |x|) (default: ${DEFAULT-VALUE})")
    double step;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What is wrong with an option's value, or null. */
    private String badOption(Compiled c) {
        if (elements < 1) {
            return "--elements " + elements + ": must be at least 1";
        }
        if (budget != null && budget < 1) {
            return "--budget " + budget + ": must be at least 1";
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            return "--tolerance " + tolerance + ": must be a finite number >= 0";
        }
        if (!(step > 0 && step <= 0.1)) {
            return "--step " + step + ": must be above 0 and at most 0.1";
        }
        for (Map.Entry<String, Integer> d : dims.entrySet()) {
            if (!c.graph.dims().contains(d.getKey())) {
                return "--dims " + d.getKey() + "=" + d.getValue() + ": model " + c.graph.name() + " has no dim "
                        + d.getKey() + (c.graph.dims().isEmpty() ? " (it has no dims)" : " (its dims: "
                        + String.join(", ", c.graph.dims()) + ")");
            }
            if (d.getValue() < 1) {
                return "--dims " + d.getKey() + "=" + d.getValue() + ": a dim must be at least 1";
            }
        }
        return null;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int[] exit = {0};
        Compiled c = Compiled.load(file, modelName, seed, true, err, exit);
        if (c == null) {
            return exit[0];
        }
        if (!c.model.hasLoss()) {
            err.println(file + ": model " + c.graph.name() + " has no loss, so it has no gradient to check");
            return 1;
        }
        String bad = badOption(c);
        if (bad != null) {
            err.println("adjoint gradcheck: " + bad);
            return 2;
        }
        GradientCheck.Options options = GradientCheck.Options.seeded(seed).withDims(dims)
                .withClassCounts(c.graph.labelClassCounts()).withElements(elements)
                .withBudget(budget != null ? budget : GradientCheck.AUTO_BUDGET)
                .withStep(step);
        long heap = Runtime.getRuntime().maxMemory();
        String tooBig = ModelMemory.params(c.graph).withInputs(dims, GradientCheck.DEFAULT_DIM).exceeds(heap);
        if (tooBig != null) {
            err.println("adjoint gradcheck: " + tooBig);
            return 1;
        }
        GradientCheck.Result result;
        try {
            result = GradientCheck.run(c.model, options);
        } catch (IllegalArgumentException e) {
            err.println("adjoint gradcheck: " + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("adjoint gradcheck: " + c.outOfMemory());
            return 1;
        }
        if (!result.lossFinite()) {
            err.println("adjoint gradcheck: the loss is " + result.loss() + " at the random point of seed " + seed
                    + "; the model is not finite there (try another --seed)");
            return 1;
        }
        boolean ok = result.within(tolerance);
        int width = result.gradients().stream().mapToInt(g -> g.name().length()).max().orElse(0);
        out.println("gradcheck " + c.graph.name() + " (f64, seed " + seed + ", tolerance " + tolerance + ")");
        int total = result.gradients().size() + result.unchecked().size();
        if (!result.unchecked().isEmpty()) {
            out.println("  a large model: " + result.gradients().size() + " of " + total + " gradients checked (a"
                    + " seeded sample), 1 element each; --budget checks more");
        } else if (result.gradients().stream().anyMatch(g -> g.checked() < Math.min(elements, g.size()))) {
            int per = result.gradients().stream().mapToInt(GradientCheck.GradientError::checked).max().orElse(0);
            out.println("  a large model: up to " + per + " elements per gradient, "
                    + result.gradients().stream().mapToInt(GradientCheck.GradientError::checked).sum() + " in all;"
                    + " --budget checks more");
        }
        for (GradientCheck.GradientError g : result.gradients()) {
            String unresolved = g.unresolved() == 0 ? "" : String.format(Locale.ROOT, "; %d too small beside the"
                    + " loss to resolve below %.1e", g.unresolved(), g.resolution());
            out.printf(Locale.ROOT, "  %-" + width + "s  worst relative error %.2e  (%d of %d elements; differences"
                    + " accurate to %.1e%s)  %s%n", g.name(), g.worstRelativeError(), g.checked(), g.size(),
                    g.accuracy(), unresolved, g.within(tolerance) ? "ok" : "FAILED");
        }
        out.println(ok ? "all gradients within tolerance" : "some gradients exceed the tolerance");
        if (!ok && c.graph.nodes().stream().anyMatch(n -> n.op() instanceof StopGradientOp)) {
            out.println("note: the model uses stop_gradient, whose derivative is 0 by definition while finite"
                    + " differences see through it; a gradient that reaches the loss through it differs by design");
        }
        out.flush();
        return ok ? 0 : 1;
    }
}
