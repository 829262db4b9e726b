import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Training-step throughput and allocation of one generated model, for BENCHMARKS.md (issue 11, before/after).
 * Uses only what every version of the compiler and runtime since the Compiler facade has (Compiler.compile,
 * CompiledModel.load, AdjointModel.gradient), so the same file measures an old build and a new one.
 *
 * <pre>
 * java -cp CLASSPATH tools/bench/StepBench.java MODEL.model [B=32 ...] [--api gradient|step] [--rounds 11]
 * </pre>
 *
 * Prints one line: the model, the api, the median steps/s over the rounds (each round ~1 s of the thread's
 * CPU time, so time slices lost to other jobs are not counted), and the bytes the thread allocated per step
 * (median over the rounds), after a warm-up of 3 s.
 */
public class StepBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Map<String, Integer> dims = new LinkedHashMap<>();
        String api = "gradient";
        int rounds = 11;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--api")) {
                api = args[++i];
            } else if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                String[] kv = args[i].split("=");
                dims.put(kv[0], Integer.parseInt(kv[1]));
            }
        }
        Compilation c = dev.adjoint.compiler.Compiler.compile(
                new SourceFile(file.getFileName().toString(), Files.readString(file)),
                dev.adjoint.compiler.Compiler.Options.of("bench"));
        if (!c.ok()) {
            throw new IllegalStateException(c.diagnostics().format());
        }
        CompiledModel m = c.models().get(0);
        AdjointModel model = m.load(42);
        Map<String, Tensor> inputs = inputs(model.inputs(), dims, new Random(1));
        Method step = api.equals("step") ? AdjointModel.class.getMethod("step", Map.class) : null;
        Object[] stepArgs = {inputs};
        Runnable once = step == null ? () -> model.gradient(inputs) : () -> {
            try {
                step.invoke(model, stepArgs);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long warm = bean.getCurrentThreadCpuTime() + 3_000_000_000L;
        int batch = 1;
        while (bean.getCurrentThreadCpuTime() < warm) {
            long t0 = bean.getCurrentThreadCpuTime();
            for (int i = 0; i < batch; i++) {
                once.run();
            }
            if (bean.getCurrentThreadCpuTime() - t0 < 100_000_000L) {
                batch *= 2;
            }
        }
        // steps per round: about one second of CPU time
        long t0 = bean.getCurrentThreadCpuTime();
        int n = 0;
        while (bean.getCurrentThreadCpuTime() - t0 < 200_000_000L) {
            once.run();
            n++;
        }
        int perRound = Math.max(1, n * 5);
        double[] rates = new double[rounds];
        double[] bytes = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long a0 = bean.getCurrentThreadAllocatedBytes();
            long c0 = bean.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) {
                once.run();
            }
            long c1 = bean.getCurrentThreadCpuTime();
            long a1 = bean.getCurrentThreadAllocatedBytes();
            rates[r] = perRound / ((c1 - c0) / 1e9);
            bytes[r] = (double) (a1 - a0) / perRound;
        }
        System.out.printf(Locale.ROOT, "%s %s %s steps/s=%.1f bytes/step=%.0f rounds=%d steps/round=%d%n",
                file.getFileName(), dims, api, median(rates), median(bytes), rounds, perRound);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static Map<String, Tensor> inputs(List<InputSpec> specs, Map<String, Integer> dims, Random r) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (InputSpec s : specs) {
            List<Integer> shape = new ArrayList<>();
            for (var d : s.dims()) {
                String text = d.toString();
                shape.add(text.matches("[0-9]+") ? Integer.parseInt(text) : dims.get(text));
            }
            int[] sh = shape.stream().mapToInt(Integer::intValue).toArray();
            int size = 1;
            for (int x : sh) {
                size *= x;
            }
            switch (s.elementType().toString().toLowerCase(Locale.ROOT)) {
                case "f32" -> {
                    float[] v = new float[size];
                    for (int i = 0; i < size; i++) {
                        v[i] = r.nextFloat();
                    }
                    out.put(s.name(), FloatTensor.of(v, sh));
                }
                case "f64" -> {
                    double[] v = new double[size];
                    for (int i = 0; i < size; i++) {
                        v[i] = r.nextDouble();
                    }
                    out.put(s.name(), DoubleTensor.of(v, sh));
                }
                default -> {
                    int[] v = new int[size];
                    for (int i = 0; i < size; i++) {
                        v[i] = r.nextInt(10);
                    }
                    out.put(s.name(), IntTensor.of(v, sh));
                }
            }
        }
        return out;
    }
}
