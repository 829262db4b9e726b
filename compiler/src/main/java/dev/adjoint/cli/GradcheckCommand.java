package dev.adjoint.cli;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.SeededRandom;
import dev.adjoint.runtime.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
                + " checked at a seeded sample of --elements elements, always including the first and last."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every gradient within tolerance", "1:a gradient exceeds the tolerance, or the model"
                + " has errors or no loss", "2:bad command-line usage"})
final class GradcheckCommand implements Callable<Integer> {
    /** Central-difference step relative to |x|: the cube root of f64's epsilon balances truncation and rounding. */
    private static final double STEP = 6e-6;

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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
        SeededRandom random = new SeededRandom(seed);
        AdjointModel model = c.model;
        // Params: their declared initializers (from the seed) plus noise, so zero-initialized biases are not
        // all zero and deep stacks stay in the regime they are built for. Inputs: uniform in [0.1, 1].
        for (Map.Entry<String, Tensor> p : model.parameters().entrySet()) {
            double[] data = ((DoubleTensor) p.getValue()).data();
            for (int i = 0; i < data.length; i++) {
                data[i] += 0.1 * (random.nextDouble() * 2 - 1);
            }
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<String, Integer> classes = LabelRanges.of(c.graph);
        for (InputSpec s : model.inputs()) {
            int[] shape = new int[s.rank()];
            for (int i = 0; i < shape.length; i++) {
                Dim d = s.dims().get(i);
                shape[i] = d instanceof Dim.Fixed f ? f.size() : dims.getOrDefault(((Dim.Named) d).name(), 3);
            }
            if (s.elementType() == dev.adjoint.runtime.ElementType.I32) {
                int n = classes.getOrDefault(s.name(), 2);
                IntTensor t = IntTensor.zeros(shape);
                for (int i = 0; i < t.data().length; i++) {
                    t.data()[i] = random.nextInt(n);
                }
                inputs.put(s.name(), t);
            } else {
                DoubleTensor t = DoubleTensor.zeros(shape);
                for (int i = 0; i < t.data().length; i++) {
                    t.data()[i] = 0.1 + 0.9 * random.nextDouble();
                }
                inputs.put(s.name(), t);
            }
        }
        Map<String, Tensor> analytic;
        try {
            var result = model.gradient(inputs);
            if (!Double.isFinite(result.loss())) {
                err.println("adjoint gradcheck: the loss is " + result.loss() + " at the random point of seed " + seed
                        + "; the model is not finite there (try another --seed)");
                return 1;
            }
            analytic = result.gradients();
        } catch (IllegalArgumentException e) {
            err.println("adjoint gradcheck: " + e.getMessage());
            return 1;
        }
        boolean ok = true;
        int width = analytic.keySet().stream().mapToInt(String::length).max().orElse(0);
        out.println("gradcheck " + c.graph.name() + " (f64, seed " + seed + ", tolerance " + tolerance + ")");
        for (Map.Entry<String, Tensor> g : analytic.entrySet()) {
            DoubleTensor target = model.parameters().containsKey(g.getKey())
                    ? (DoubleTensor) model.parameters().get(g.getKey())
                    : (DoubleTensor) inputs.get(g.getKey());
            double[] grad = ((DoubleTensor) g.getValue()).data();
            int[] sample = sample(new SeededRandom(seed ^ g.getKey().hashCode()), grad.length);
            double worst = 0;
            for (int i : sample) {
                double fd = centralDifference(model, inputs, target.data(), i);
                double scale = Math.max(Math.max(Math.abs(fd), Math.abs(grad[i])), 1e-3);
                worst = Math.max(worst, Math.abs(fd - grad[i]) / scale);
            }
            boolean pass = worst <= tolerance;
            ok &= pass;
            out.printf("  %-" + width + "s  worst relative error %.2e  (%d of %d elements)  %s%n", g.getKey(), worst,
                    sample.length, grad.length, pass ? "ok" : "FAILED");
        }
        out.println(ok ? "all gradients within tolerance" : "some gradients exceed the tolerance");
        out.flush();
        return ok ? 0 : 1;
    }


    /** d loss / d x[i] by central differences, x being a param's or an input's live data. */
    private static double centralDifference(AdjointModel model, Map<String, Tensor> inputs, double[] x, int i) {
        double saved = x[i];
        double h = STEP * Math.max(1, Math.abs(saved));
        x[i] = saved + h;
        double up = model.forward(inputs).loss().orElseThrow();
        x[i] = saved - h;
        double down = model.forward(inputs).loss().orElseThrow();
        x[i] = saved;
        return (up - down) / (2 * h);
    }

    /** Up to {@code elements} distinct indices, first and last included, the rest drawn from the seed. */
    private int[] sample(SeededRandom random, int n) {
        if (n <= elements) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        java.util.LinkedHashSet<Integer> picked = new java.util.LinkedHashSet<>();
        picked.add(0);
        picked.add(n - 1);
        while (picked.size() < elements) {
            picked.add(random.nextInt(n));
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }
}
