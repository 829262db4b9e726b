package dev.adjoint.compiler.emit;

import static dev.adjoint.compiler.emit.Harness.dims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.PadOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.plan.ExecutionPlan;
import dev.adjoint.compiler.plan.ExecutionPlan.Kind;
import dev.adjoint.compiler.plan.ExecutionPlan.Step;
import dev.adjoint.compiler.plan.Planner;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Slices read in place inside fused loops (at an offset in their source, with its strides times their steps), pads
 * as loops over the region their input fills, sums of pads accumulated into one zeroed buffer, and loops merged
 * into the reductions that read them: the generated class agrees bit for bit with the class of the plan that
 * copies every slice out and pads it back ({@link Planner#planCopyingSlices}), for every form of slice (steps,
 * negative bounds, several axes, symbolic dims, a slice of one element broadcast, a slice of a slice, of a computed
 * value, read by an {@code ArrayMath} function and by a matrix product) in f64 and f32, and with the interpreter.
 * A gradient element that is a sum of zeros may differ in the sign of its zero ({@code 0 + -0.0} is {@code 0}); so
 * gradients are compared as numbers, outputs and losses bit for bit.
 */
class SliceReadsInPlaceTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("rosenbrock", """
                        model Rosen {
                          param x : f64[7] = uniform(0.5, 1.5)
                          head = x[:-1]
                          tail = x[1:]
                          loss f = sum(100 * (tail - head^2)^2 + (1 - head)^2)
                        }
                        """, Map.of(), true),
                Arguments.of("steps, negative bounds, symbolic batch, i32, exp of a slice", """
                        model Steps {
                          dim B
                          input grad x : f64[B, 9]
                          input k : i32[B, 9]
                          param w : f64[3] = normal(0, 1)
                          a = x[:, 1:-1:3] * w
                          b = x[:, -3:] + x[:, :3] * cast(k[:, ::3], f64)
                          c = exp(x[:, ::4])
                          output o = a + b
                          loss l = sum(a * b) + sum(c) + sum(x[:, 2:3] * x) + mean(x[:, 1:][:, ::2])
                        }
                        """, dims("B", 3), true),
                Arguments.of("several axes, f32, one element broadcast", """
                        model Axes {
                          param p : f32[4, 5, 6] = uniform(-1, 1)
                          input grad q : f32[2, 3, 3]
                          u = p[1:3, ::2, -3:]
                          v = p[:2, 1:4, :3]
                          output s = mean(u, axis=1)
                          loss l = sum(u * v + q) + sum(p[3:, 4:, 5:] * u) + sum(p[:, 1:, :] * p[:, :-1, :])
                        }
                        """, Map.of(), true),
                Arguments.of("a stencil of three overlapping slices, max of a strided slice", """
                        model Stencil {
                          param x : f64[12] = uniform(-1, 1)
                          d = x[2:] - 2 * x[1:-1] + x[:-2]
                          loss l = sum(d * d) + max(x[::5]) + sum(x[3:4])
                        }
                        """, Map.of(), true),
                Arguments.of("slices of a computed value, one read by a product", """
                        model Hidden {
                          dim B
                          input grad x : f64[B, 6]
                          param w : f64[6, 6] = normal(0, 0.5)
                          param v : f64[4, 2] = normal(0, 0.5)
                          h = tanh(x @ w)
                          g = h[:, 1:] * h[:, :-1]
                          output o = g
                          loss l = sum(g * g) + sum(h[:, ::2]) + sum(h[:, 2:] @ v)
                        }
                        """, dims("B", 5), false));
    }

    /**
     * Seeded random slices: three slices of one value, of the same shape, each axis with a random step, start and
     * end (written with negative bounds or left open at random), under a symbolic batch axis taken whole, in f64
     * or f32, combined elementwise (with {@code tanh}, an {@code ArrayMath} loop), reduced, and read by the
     * backward pass.
     */
    static Stream<Arguments> randomSlices() {
        return java.util.stream.LongStream.range(0, 12).mapToObj(seed -> {
            java.util.Random r = new java.util.Random(seed);
            int rank = 1 + r.nextInt(2);
            StringBuilder in = new StringBuilder();
            StringBuilder out = new StringBuilder();
            String[] slices = new String[3];
            java.util.Arrays.fill(slices, ":");
            for (int a = 0; a < rank; a++) {
                int n = 1 + r.nextInt(4);
                int size = n + r.nextInt(6);
                in.append(", ").append(size);
                out.append(", ").append(n);
                for (int k = 0; k < 3; k++) {
                    int step = 1 + r.nextInt(Math.max(1, (size - 1) / Math.max(1, n - 1)));
                    while ((n - 1) * step >= size) {
                        step--;
                    }
                    int start = r.nextInt(size - (n - 1) * step);
                    int last = start + (n - 1) * step;
                    int end = last + 1 + r.nextInt(Math.min(step, size - last));
                    String lo = start == 0 && r.nextBoolean() ? "" : r.nextBoolean() ? "" + start : "" + (start - size);
                    String hi = end == size && r.nextBoolean() ? "" : r.nextBoolean() || end == size ? "" + end
                            : "" + (end - size);
                    slices[k] += ", " + lo + ":" + hi + (step == 1 && r.nextBoolean() ? "" : ":" + step);
                }
            }
            String t = seed % 2 == 0 ? "f64" : "f32";
            String text = "model Random" + seed + " {\n"
                    + "  dim B\n"
                    + "  input grad x : " + t + "[B" + in + "]\n"
                    + "  param w : " + t + "[" + out.substring(2) + "] = normal(0, 1)\n"
                    + "  a = x[" + slices[0] + "]\n"
                    + "  b = x[" + slices[1] + "]\n"
                    + "  c = x[" + slices[2] + "]\n"
                    + "  y = a * b + tanh(c) * w\n"
                    + "  output o = y - a\n"
                    + "  loss l = sum(y * y) + mean(a * c) + sum(b)\n"
                    + "}\n";
            return Arguments.of("random" + seed + " " + String.join(" ", slices), text,
                    Map.of("B", 1 + r.nextInt(3)), true);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomSlices")
    void randomSlicesAgreeBitForBitWithTheCopyingPlan(String name, String text, Map<String, Integer> dims,
            boolean allInLoops) {
        agreesBitForBitWithTheCopyingPlan(name, text, dims, allInLoops);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void agreesBitForBitWithTheCopyingPlan(String name, String text, Map<String, Integer> dims, boolean allInLoops) {
        ModelGraph m = Harness.model(text);
        CompiledModel compiled = CompiledModel.of(m, Compiler.Options.of(Harness.PACKAGE));
        ExecutionPlan plan = compiled.plan();
        boolean readsInPlace = false;
        for (Step s : plan.steps()) {
            Node n = s.node();
            if (allInLoops) {
                assertFalse(s.kind() == Kind.KERNEL && (n.op() instanceof SliceOp || n.op() instanceof PadOp),
                        () -> name + ": " + n + " is copied");
            }
            for (Node f : s.fused()) {
                readsInPlace |= f.op() instanceof PadOp;
            }
        }
        for (Node n : plan.inlined()) {
            readsInPlace |= n.op() instanceof SliceOp;
        }
        assertTrue(readsInPlace, name + ": nothing is read in place");
        String source = compiled.javaSource();
        if (allInLoops) {
            assertFalse(source.contains("Slices."), () -> Harness.numbered(source));
        }
        String copying = JavaEmitter.emit(Planner.planCopyingSlices(compiled.graph()), Harness.PACKAGE,
                compiled.className() + "Copying").toString();
        assertTrue(copying.contains("Slices."), copying);

        AdjointModel inPlace = load(compiled.qualifiedClassName(), source);
        AdjointModel reference = load(Harness.PACKAGE + "." + compiled.className() + "Copying", copying);
        for (long seed = 1; seed <= 3; seed++) {
            Map<String, Tensor> in = Harness.inputs(m, dims, seed, -1, 1, 4);
            ForwardResult f = inPlace.forward(in);
            ForwardResult fr = reference.forward(in);
            assertEquals(fr.outputs().keySet(), f.outputs().keySet());
            fr.outputs().forEach((o, t) -> assertBits(name + " output " + o, t, f.output(o)));
            GradientResult g = inPlace.gradient(in);
            GradientResult gr = reference.gradient(in);
            assertEquals(Double.doubleToLongBits(gr.loss()), Double.doubleToLongBits(g.loss()), name + " loss");
            assertEquals(Double.doubleToLongBits(fr.loss().getAsDouble()),
                    Double.doubleToLongBits(f.loss().getAsDouble()), name + " forward loss");
            gr.outputs().forEach((o, t) -> assertBits(name + " gradient output " + o, t, g.outputs().get(o)));
            assertEquals(gr.gradients().keySet(), g.gradients().keySet());
            gr.gradients().forEach((d, t) -> {
                Tensor got = g.gradients().get(d);
                assertEquals(t.size(), got.size());
                for (int i = 0; i < t.size(); i++) {
                    // the same number; a zero's sign may differ
                    assertEquals(Double.doubleToLongBits(t.getAsDouble(i) + 0.0),
                            Double.doubleToLongBits(got.getAsDouble(i) + 0.0), name + " gradient " + d + " at " + i);
                }
            });
        }
        Harness.check(m, dims, -1, 1, 4);
    }

    private static AdjointModel load(String className, String source) {
        try {
            return new InMemoryCompiler("-Xlint:all", "-Werror").load(className, source, 42);
        } catch (InMemoryCompiler.CompilationException e) {
            throw new AssertionError(e.getMessage() + "\n" + Harness.numbered(source), e);
        }
    }

    private static void assertBits(String what, Tensor want, Tensor got) {
        assertEquals(want.size(), got.size(), what);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(Double.doubleToLongBits(want.getAsDouble(i)), Double.doubleToLongBits(got.getAsDouble(i)),
                    what + " at " + i);
        }
    }
}
