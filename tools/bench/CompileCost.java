import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.diag.SourceFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What compiling one model costs, stage by stage, without javac (BENCHMARKS.md, "Compile cost"):
 *
 * <pre>
 * java -cp CLASSPATH tools/bench/CompileCost.java tools/bench/deep_tanh_10k.model [ROUNDS]
 * </pre>
 *
 * Each round compiles the model from its text in the same JVM: the front end (parse, elaborate, shape-check),
 * every pass of the pipeline, the plan, the emitter (JavaPoet's tree) and the source text. Prints the first round
 * (a cold JVM: the compiler's own code still interpreted) and the median of the others, each as wall-clock and as
 * the thread's CPU time (which leaves out time slices lost to other jobs on a shared machine, and the JIT's and
 * GC's own threads).
 */
public class CompileCost {
    public static void main(String[] args) throws Exception {
        String text = Files.readString(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] stages = {"front end", "passes", "plan", "emit", "source text", "total"};
        double[][] wall = new double[stages.length][rounds];
        double[][] cpu = new double[stages.length][rounds];
        int nodesGradient = 0;
        int nodesOptimized = 0;
        int chars = 0;
        for (int r = 0; r < rounds; r++) {
            long[] w = new long[stages.length];
            long[] c = new long[stages.length];
            w[0] = System.nanoTime();
            c[0] = bean.getCurrentThreadCpuTime();
            Compilation comp = dev.adjoint.compiler.Compiler.compile(new SourceFile("m.model", text),
                    dev.adjoint.compiler.Compiler.Options.of("bench"));
            CompiledModel m = comp.models().get(0);
            long[] t = new long[stages.length * 2];
            int k = 0;
            t[k++] = System.nanoTime();
            t[k++] = bean.getCurrentThreadCpuTime();
            m.stages();
            t[k++] = System.nanoTime();
            t[k++] = bean.getCurrentThreadCpuTime();
            m.plan();
            t[k++] = System.nanoTime();
            t[k++] = bean.getCurrentThreadCpuTime();
            m.javaFile();
            t[k++] = System.nanoTime();
            t[k++] = bean.getCurrentThreadCpuTime();
            chars = m.javaSource().length();
            t[k++] = System.nanoTime();
            t[k++] = bean.getCurrentThreadCpuTime();
            long pw = w[0];
            long pc = c[0];
            for (int s = 0; s < 5; s++) {
                wall[s][r] = (t[2 * s] - pw) / 1e6;
                cpu[s][r] = (t[2 * s + 1] - pc) / 1e6;
                pw = t[2 * s];
                pc = t[2 * s + 1];
            }
            wall[5][r] = (t[8] - w[0]) / 1e6;
            cpu[5][r] = (t[9] - c[0]) / 1e6;
            nodesGradient = m.stage("gradient").nodes().size();
            nodesOptimized = m.graph().nodes().size();
        }
        System.out.printf(Locale.ROOT, "%s: %,d nodes after differentiation, %,d optimized; %,d chars of Java%n",
                args[0], nodesGradient, nodesOptimized, chars);
        System.out.printf(Locale.ROOT, "%-12s %10s %10s %12s %12s%n", "ms", "cold wall", "cold cpu",
                "warm wall", "warm cpu");
        for (int s = 0; s < stages.length; s++) {
            System.out.printf(Locale.ROOT, "%-12s %10.0f %10.0f %12.0f %12.0f%n", stages[s], wall[s][0], cpu[s][0],
                    median(wall[s]), median(cpu[s]));
        }
        System.out.println("(warm: the median of rounds 2.." + rounds + ")");
    }

    static double median(double[] v) {
        double[] s = Arrays.copyOfRange(v, 1, v.length);
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
