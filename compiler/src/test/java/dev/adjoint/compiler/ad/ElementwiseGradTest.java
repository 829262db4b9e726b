package dev.adjoint.compiler.ad;

import static dev.adjoint.compiler.ad.GradCheck.ANY;
import static dev.adjoint.compiler.ad.GradCheck.NONZERO;
import static dev.adjoint.compiler.ad.GradCheck.POSITIVE;

import dev.adjoint.compiler.ad.GradCheck.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of the elementwise rules: one and two arguments, broadcasting, casts, where. */
class ElementwiseGradTest {

    /** Shapes for x, with the dims they need: fixed, symbolic, scalar, with 1s. */
    private static final List<Object[]> SHAPES = List.of(
            new Object[] {"[B, 3]", Map.of("B", 2)},
            new Object[] {"[4]", Map.of()},
            new Object[] {"[]", Map.of()},
            new Object[] {"[2, 1, B]", Map.of("B", 3)});

    static Stream<Arguments> unary() {
        Object[][] fns = {
            {"-x", ANY}, {"exp(x)", ANY}, {"log(x)", POSITIVE}, {"log1p(x)", POSITIVE}, {"sqrt(x)", POSITIVE},
            {"square(x)", ANY}, {"abs(x)", NONZERO}, {"sin(x)", ANY}, {"cos(x)", ANY}, {"tanh(x)", ANY},
            {"sigmoid(x)", ANY}, {"relu(x)", NONZERO}, {"softplus(x)", ANY}, {"gelu(x)", ANY},
            {"leaky_relu(x)", NONZERO}, {"leaky_relu(x, alpha=0.3)", NONZERO},
            {"x ^ 3", ANY}, {"x ^ 2", ANY}, {"x ^ 1", ANY}, {"x ^ 2.5", POSITIVE}, {"x ^ -1.5", POSITIVE},
            {"2.0 ^ x", ANY}, {"x ^ x", POSITIVE}, {"1 / x", NONZERO}, {"x * x * x", ANY},
            {"cast(cast(x, f32) * 2.0, f64)", ANY},
            {"max(x, 0.5)", ANY}, {"min(x, 0.5)", ANY},
            {"clamp(x, -0.5, 0.5)", ANY}, {"clamp(x, lo=0.2)", ANY}, {"clamp(x, hi=-0.1)", ANY},
            {"clamp(x, 0.5, -0.5)", ANY},
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 1;
        for (Object[] fn : fns) {
            for (Object[] shape : SHAPES) {
                out.add(Arguments.of(fn[0], shape[0], shape[1], fn[1], seed++));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource
    void unary(String expr, String shape, Map<String, Integer> dims, Domain domain, long seed) {
        GradCheck.checkOutput("dim B\ninput grad x : f64" + shape + "\noutput y = " + expr, dims, seed, domain);
    }

    static Stream<Arguments> binary() {
        String[] ops = {"a + b", "a - b", "a * b", "a / b", "a ^ b", "max(a, b)", "min(a, b)", "where(a > b, a * b, b)",
            "where(a < 0.5, a, b - a)",
            "clamp(a, b, b + 1)", "clamp(a, b + 1, b)", "clamp(b, a - 0.5, a + 0.5)"};
        String[][] shapes = {
            {"[B, 3]", "[B, 3]"}, {"[B, 3]", "[3]"}, {"[3]", "[B, 3]"}, {"[2, 1, 3]", "[4, 1]"}, {"[]", "[B, 3]"},
            {"[B, 1]", "[1, 3]"}, {"[2, 3]", "[]"},
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 100;
        for (String op : ops) {
            for (String[] s : shapes) {
                // positive operands keep a / b and a ^ b smooth; random values almost never tie in max/min
                Domain d = op.contains("/") || op.contains("^") ? POSITIVE : ANY;
                out.add(Arguments.of(op, s[0], s[1], d, seed++));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}, {2}")
    @MethodSource
    void binary(String expr, String sa, String sb, Domain domain, long seed) {
        GradCheck.checkOutput("dim B\ninput grad a : f64" + sa + "\ninput grad b : f64" + sb + "\noutput y = " + expr,
                Map.of("B", 2), seed, domain);
    }

    static Stream<Arguments> whereMasks() {
        return Stream.of(
                Arguments.of("where(m > 0, a, b)", "[B, 3]", "[B, 3]", "[B, 3]"),
                Arguments.of("where(m > 0, a, b)", "[B, 1]", "[3]", "[]"),
                Arguments.of("where(m > 0, a, b)", "[3]", "[B, 1]", "[B, 3]"),
                Arguments.of("where(m > 0, a * a, exp(b))", "[B, 1, 3]", "[1, 3]", "[B, 2, 1]"));
    }

    @ParameterizedTest(name = "{0}: mask {1}, a {2}, b {3}")
    @MethodSource
    void whereMasks(String expr, String sm, String sa, String sb) {
        GradCheck.checkOutput("dim B\ninput m : f64" + sm + "\ninput grad a : f64" + sa + "\ninput grad b : f64" + sb
                + "\noutput y = " + expr, Map.of("B", 2), sm.hashCode(), ANY);
    }
}
