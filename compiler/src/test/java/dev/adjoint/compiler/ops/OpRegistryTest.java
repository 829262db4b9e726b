package dev.adjoint.compiler.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every op kind is registered, and each has a shape rule, a derivative (or says it has none), an evaluation and a lowering. */
class OpRegistryTest {
    private static final TensorType F64_3 = new TensorType(DType.F64, Shape.of(3));

    /** One instance of each kind; a new kind needs one here (the test below says so). */
    private static final Map<Class<? extends Op>, Op> SAMPLES = new LinkedHashMap<>();

    static {
        sample(new InputOp("x", F64_3));
        sample(new ParamOp("W", F64_3));
        sample(new ConstantOp(1, DType.F64));
        sample(new DimValueOp(dev.adjoint.compiler.ir.Dim.sym("B"), DType.F64));
        sample(new ArangeOp(dev.adjoint.compiler.ir.Dim.of(4), DType.I32));
        sample(new BinaryOp(BinaryFn.ADD));
        sample(new CastOp(DType.F32));
        sample(new ClampOp());
        sample(new CompareOp(CompareFn.LT));
        sample(new GeluGradOp());
        sample(new LabelCheckOp(3, "one_hot"));
        sample(new LeakyReluOp(0.01));
        sample(new StopGradientOp());
        sample(new UnaryOp(UnaryFn.TANH));
        sample(new WhereOp());
        sample(new ArgmaxOp(0, false));
        sample(new BatchNormOp(1e-5));
        sample(new BroadcastOp(Shape.of(2, 3)));
        sample(new ConcatOp(0));
        sample(new CrossEntropyOp());
        sample(new DropoutOp(0.5, 0));
        sample(new LayerNormOp(0, 1e-5));
        sample(new LogSoftmaxOp(0));
        sample(new MatMulOp());
        sample(new OneHotOp(3, DType.F64));
        sample(new PadOp(Shape.of(4), List.of(0), List.of(1L)));
        sample(new RecomputeFromOp());
        sample(new ReduceOp(ReduceFn.SUM, List.of(0), false));
        sample(new ReshapeOp(Shape.of(3, 1)));
        sample(new SliceOp(List.of(0), List.of(0L), List.of(2L)));
        sample(new SoftmaxOp(0));
        sample(new TransposeOp(List.of(1, 0)));
        sample(new VarianceOp(List.of(0), false, 1, false));
        sample(new Conv2dOp(Pair.of(1), Pair.of(0), Pair.of(1)));
        sample(new Conv2dInputGradOp(Pair.of(1), Pair.of(0), Pair.of(1), Pair.of(5)));
        sample(new Conv2dFilterGradOp(Pair.of(1), Pair.of(0), Pair.of(1), Pair.of(3)));
        sample(new MaxPool2dOp(Pair.of(2), Pair.of(2), Pair.of(0)));
        sample(new MaxPool2dGradOp(Pair.of(2), Pair.of(2), Pair.of(0)));
        sample(new AvgPool2dOp(Pair.of(2), Pair.of(2), Pair.of(0)));
        sample(new AvgPool2dGradOp(Pair.of(2), Pair.of(2), Pair.of(0), Pair.of(4)));
        sample(new TakeOp("i"));
        sample(new ScatterAddOp(dev.adjoint.compiler.ir.Dim.of(3), "i"));
    }

    private static void sample(Op op) {
        SAMPLES.put(op.getClass(), op);
    }

    @Test
    void everyOpClassOfThePackageIsRegisteredAndSampled() throws IOException, URISyntaxException {
        Path dir = Path.of(OpRegistry.class.getResource("OpRegistry.class").toURI()).getParent();
        Set<String> found = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                try {
                    Class<?> c = Class.forName("dev.adjoint.compiler.ops." + name.replace(".class", ""));
                    if (Op.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                        found.add(c.getSimpleName());
                    }
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
            }
        }
        Set<String> registered = new HashSet<>();
        OpRegistry.KINDS.forEach(k -> registered.add(k.getSimpleName()));
        assertEquals(found, registered, "OpRegistry.KINDS must list every op class");
        assertEquals(registered.size(), OpRegistry.KINDS.size(), "listed once each");
        for (Class<? extends Op> k : OpRegistry.KINDS) {
            assertNotNull(SAMPLES.get(k), "add a sample of " + k.getSimpleName() + " to this test");
        }
    }

    static Stream<Op> kinds() {
        return OpRegistry.KINDS.stream().map(SAMPLES::get);
    }

    private static Class<?> declaring(Op op, String method, Class<?>... params) {
        try {
            Method m = op.getClass().getMethod(method, params);
            return m.getDeclaringClass();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isLeaf(Op op) {
        return op instanceof InputOp || op instanceof ParamOp;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void hasEveryRule(Op op) {
        String what = op.getClass().getSimpleName();
        // shape rule: every Op implements infer; it must not be the interface's
        assertNotEquals(Op.class, declaring(op, "infer", List.class), what);
        // derivative: a differentiable op has its own vjp and the text of its rule; the others say why not
        Class<?> vjp = declaring(op, "vjp", GradBuilder.class, Vjp.class);
        if (op.differentiability() == Differentiability.DIFFERENTIABLE) {
            assertNotEquals(Op.class, vjp, what + " is differentiable but has no vjp");
            assertNotEquals(Op.class, declaring(op, "adjointRule", Node.class, int.class),
                    what + " has no adjoint rule text");
        } else {
            assertEquals(Op.class, vjp, what + " declares no derivative but has a vjp");
        }
        // evaluation: its own, or the elementwise loop around its own scalar formula
        if (op instanceof ElementwiseOp) {
            assertNotEquals(ElementwiseOp.class, declaring(op, "apply", double[].class), what);
            assertNotEquals(ElementwiseOp.class, declaring(op, "java", Node.class, List.class), what);
        } else {
            assertNotEquals(Op.class, declaring(op, "eval", EvalContext.class, Node.class, List.class), what);
            assertNotEquals(Op.class, declaring(op, "lower", LoweringContext.class, Node.class), what);
        }
        if (isLeaf(op)) {
            assertEquals(Differentiability.PIECEWISE_CONSTANT, op.differentiability(), what);
        }
    }

    @Test
    void anOpWithoutADerivativeNamesItselfWhenDifferentiated() {
        Op op = SAMPLES.get(GeluGradOp.class);
        assertEquals(Differentiability.NONE, op.differentiability());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> op.vjp(null, null));
        assertTrue(e.getMessage().startsWith("gelu_grad:"), e.getMessage());
    }

    @Test
    void theRegistryHasNoDuplicatesAndKeepsItsOrder() {
        List<String> names = new ArrayList<>();
        OpRegistry.KINDS.forEach(k -> names.add(k.getSimpleName()));
        assertEquals(names.size(), new HashSet<>(names).size());
    }
}
