import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.plan.CheckpointPolicy;
import dev.adjoint.compiler.plan.Checkpoints;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * Checkpointing's memory/time trade-off on one model: for none, sqrt and budgets (fractions of none's held bytes),
 * the bytes of forward values held for the backward pass at the plan dims, the recomputed FLOPs, and the median
 * thread CPU time of a training step, policies interleaved round by round so that machine load hits them alike.
 * Gradients are compared bit for bit with none's. Writes a Markdown table to stdout and the curve as a PNG.
 *
 * <pre>
 *   ./adjoint --version   # builds cli/target/adjoint-cli.jar
 *   java -cp cli/target/adjoint-cli.jar tools/bench/CheckpointBench.java tools/bench/deep_tanh_256.model 64 7 \
 *       docs/checkpoint-curve.png
 * </pre>
 * Arguments: the model (inputs x and y, f32[B, H]), the batch B, rounds, the PNG path, and optionally the warm-up
 * steps of each policy (default 300, interleaved) and the steps timed per round (default 5; a round's figure is
 * their mean CPU time).
 */
public final class CheckpointBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int batch = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path png = Path.of(args[3]);
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 300;
        int perRound = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        Map<String, Integer> dims = Map.of("B", batch);
        String text = Files.readString(file);
        CompiledModel none = compile(text, CheckpointPolicy.NONE, dims);
        long held = none.heldBytes(dims).peak();
        List<CheckpointPolicy> policies = new ArrayList<>(List.of(CheckpointPolicy.NONE, CheckpointPolicy.SQRT,
                CheckpointPolicy.budget(held / 2), CheckpointPolicy.budget(held / 5),
                CheckpointPolicy.budget(held / 10)));
        List<CompiledModel> models = new ArrayList<>();
        List<AdjointModel> live = new ArrayList<>();
        for (CheckpointPolicy p : policies) {
            CompiledModel m = p == CheckpointPolicy.NONE ? none : compile(text, p, dims);
            models.add(m);
            live.add(m.load(1));
        }
        Map<String, Tensor> in = inputs(live.get(0), batch);
        // same bits under every policy
        var want = live.get(0).gradient(in);
        for (int i = 1; i < live.size(); i++) {
            var got = live.get(i).gradient(in);
            if (Double.doubleToRawLongBits(got.loss()) != Double.doubleToRawLongBits(want.loss())) {
                throw new AssertionError(policies.get(i) + ": the loss differs");
            }
            for (String k : want.gradients().keySet()) {
                Tensor a = want.gradients().get(k);
                Tensor b = got.gradients().get(k);
                for (int e = 0; e < a.size(); e++) {
                    if (Double.doubleToRawLongBits(a.getAsDouble(e)) != Double.doubleToRawLongBits(b.getAsDouble(e))) {
                        throw new AssertionError(policies.get(i) + ": gradient " + k + " differs at " + e);
                    }
                }
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // Warm-up, interleaved: each generated method runs once per step, so the JIT compiles them only after
        // hundreds of steps (a first version of this tool warmed up 3 steps and timed code still being compiled).
        for (int w = 0; w < warmup; w++) {
            for (AdjointModel m : live) {
                m.step(in);
            }
        }
        double[][] ms = new double[policies.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < live.size(); i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int k = 0; k < perRound; k++) {
                    live.get(i).step(in);
                }
                ms[i][r] = (mx.getCurrentThreadCpuTime() - t0) / 1e6 / perRound;
            }
        }
        double base = median(ms[0]);
        long layer = 4L * batch * 256;
        System.out.println("| policy | budget (bytes) | held for backward (bytes) | = layers of 64 KiB"
                + " | recomputed values | extra FLOPs | arena (bytes) | step (ms, median CPU) | vs none |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        double[] xs = new double[policies.size()];
        double[] ys = new double[policies.size()];
        for (int i = 0; i < policies.size(); i++) {
            CompiledModel m = models.get(i);
            long h = m.heldBytes(dims).peak();
            Checkpoints.Result c = m.checkpointing();
            double step = median(ms[i]);
            xs[i] = h / 1048576.0;
            ys[i] = step;
            System.out.printf("| %s | %s | %,d | %.1f | %d | %s | %,d | %.0f | %.2f× |%n",
                    policies.get(i).kind().name().toLowerCase(), policies.get(i).budgetBytes() == 0 ? ""
                            : String.format("%,d", policies.get(i).budgetBytes()), h, h / (double) layer,
                    c == null ? 0 : c.recomputed().size(), c == null ? "0" : c.extraFlops().eval(dims) + "",
                    m.plan().peakBytes().eval(dims), step, step / base);
        }
        System.out.println();
        System.out.println("rounds " + rounds + " of " + perRound + " steps after " + warmup
                + " warm-up steps; per-round step ms: ");
        for (int i = 0; i < policies.size(); i++) {
            System.out.println("  " + policies.get(i) + ": " + Arrays.toString(ms[i]));
        }
        XYChart chart = new XYChartBuilder().width(720).height(440)
                .title("Checkpointing a 256-layer tanh MLP (width 256, batch " + batch + ", f32)")
                .xAxisTitle("forward values held for the backward pass (MiB)")
                .yAxisTitle("training step (ms, median thread CPU)").build();
        chart.getStyler().setLegendVisible(true);
        XYSeries s = chart.addSeries("none, budgets, sqrt", xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static CompiledModel compile(String text, CheckpointPolicy p, Map<String, Integer> dims) {
        Compilation c = Compiler.compile(new SourceFile("bench.model", text),
                Compiler.Options.of("bench").withCheckpoint(p).withPlanDims(dims).withVerify(false));
        if (!c.ok()) {
            throw new IllegalStateException(c.diagnostics().format());
        }
        return c.models().get(0);
    }

    private static Map<String, Tensor> inputs(AdjointModel m, int batch) {
        Random r = new Random(5);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var spec : m.inputs()) {
            float[] v = new float[batch * 256];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            in.put(spec.name(), FloatTensor.of(v, batch, 256));
        }
        return in;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
