package dev.adjoint.compiler.ad;

import static dev.adjoint.compiler.ad.GradCheck.ANY;

import dev.adjoint.compiler.ad.GradCheck.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of the neural-network ops, including their stability for large logits. */
class NeuralGradTest {
    /** Uniform in ±[90, 110]: softmax saturates, exp overflows if computed naively. */
    static final Domain HUGE = rnd -> (rnd.nextBoolean() ? 1 : -1) * (90 + 20 * rnd.nextDouble());

    static Stream<Arguments> neural() {
        String[][] cases = {
            {"input grad x : f64[B, 4]", "softmax(x)"},
            {"input grad x : f64[B, 4]", "softmax(x, axis=0)"},
            {"input grad x : f64[2, B, 3]", "softmax(x, axis=1)"},
            {"input grad x : f64[B, 4]", "log_softmax(x)"},
            {"input grad x : f64[2, B, 3]", "log_softmax(x, axis=-3)"},
            {"input grad x : f64[B, 4]", "logsumexp(x, axis=-1)"},
            {"input grad x : f64[B, 3]\ninput labels : i32[B]", "cross_entropy(x, labels)"},
            {"input grad x : f64[2, B, 3]\ninput labels : i32[2, B]", "cross_entropy(x, labels)"},
            {"input grad x : f64[B, 3]\ninput labels : i32[B]", "mean(cross_entropy(x, labels))"},
            {"input grad x : f64[B, 3]\ninput grad t : f64[B, 3]", "mse(x, t)"},
            {"input grad x : f64[B, 4]\nparam g : f64[4] = ones\nparam be : f64[4] = zeros",
                "layer_norm(x, g, be)"},
            {"input grad x : f64[3, B]\ninput grad g : f64[B]\ninput grad be : f64[B]",
                "layer_norm(x, g, be, eps=0.1)"},
            {"input grad x : f64[B, 3, 2]\ninput grad g : f64[3]\ninput grad be : f64[3]",
                "layer_norm(x, g, be, axis=1)"},
            {"input grad x : f64[B, 3]\ninput grad g : f64[3]\ninput grad be : f64[3]", "batch_norm(x, g, be)"},
            {"input grad x : f64[B, 2, 3]\ninput grad g : f64[2, 3]\ninput grad be : f64[2, 3]",
                "batch_norm(x, g, be, eps=0.01)"},
            {"input grad x : f64[B, 3]\ninput grad g : f64[3]\ninput grad be : f64[3]",
                "batch_norm(x, g, be) * layer_norm(x, g, be)"},
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 400;
        for (String[] c : cases) {
            for (int b : new int[] {2, 4}) {
                out.add(Arguments.of(c[0], c[1], Map.of("B", b), ANY, seed++));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} with {0} {2}")
    @MethodSource
    void neural(String decls, String expr, Map<String, Integer> dims, Domain domain, long seed) {
        GradCheck.checkOutput("dim B\n" + decls + "\noutput y = " + expr, dims, seed, domain);
    }

    /** Logits near ±100: the gradients stay finite and match finite differences. */
    static Stream<Arguments> stability() {
        return Stream.of(
                Arguments.of("input grad x : f64[B, 4]", "softmax(x)"),
                Arguments.of("input grad x : f64[B, 4]", "log_softmax(x)"),
                Arguments.of("input grad x : f64[B, 4]", "logsumexp(x, axis=1)"),
                Arguments.of("input grad x : f64[B, 4]", "logsumexp(x)"),
                Arguments.of("input grad x : f64[B, 3]\ninput labels : i32[B]", "cross_entropy(x, labels)"),
                Arguments.of("input grad x : f64[B, 4]", "softplus(x) + sigmoid(x) + tanh(x)"));
    }

    @ParameterizedTest(name = "{1} near ±100")
    @MethodSource
    void stability(String decls, String expr) {
        GradCheck.checkOutput("dim B\n" + decls + "\noutput y = " + expr, Map.of("B", 3), expr.hashCode(), HUGE);
    }
}
