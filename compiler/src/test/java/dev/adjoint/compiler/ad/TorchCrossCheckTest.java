package dev.adjoint.compiler.ad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.eval.Interpreter;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.runtime.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loss, outputs and gradients of a few models against PyTorch 1.13 (float64), recorded in
 * {@code src/test/resources/torch/} by {@code tools/torch_reference.py} (see its header for how to
 * regenerate). The models cover every built-in family: matmul, broadcasting, relu, softmax,
 * cross-entropy, layer and batch norm, gelu, logsumexp, mse, sigmoid, softplus, leaky_relu,
 * log_softmax, slicing, powers, where, max/min, concat, transpose, reshape, keepdims reductions,
 * {@code input grad}, conv2d (stride, padding, dilation), max_pool2d (ties, padding), avg_pool2d (padding
 * counted) and take (repeated indices, a rank-3 table, a scalar index); and issue 14's
 * min/prod/var/std/argmax reductions (with ties and zeros), clamp, stop_gradient, the constructors, step
 * slices, concat of parts of different symbolic sizes, and an LSTM whose cell is a fn returning two values
 * ({@code torch.lstm_cell}).
 */
class TorchCrossCheckTest {
    private static final double RTOL = 1e-9;
    private static final double ATOL = 1e-11;

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "layernorm_gelu", "batchnorm_mix", "rosenbrock", "elementwise", "shapes_casts",
        "more_reductions", "lstm_tuple", "conv_pool", "pool_ties", "take"})
    void matchesPyTorch(String name) throws IOException {
        Map<?, ?> ref = (Map<?, ?>) parseJson(resource("/torch/" + name + ".json"));
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile(name + ".model", (String) ref.get("model")));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        ModelGraph m = r.models().get(0);
        Gradients g = Autodiff.of(m.graph());

        Map<String, Integer> dims = new HashMap<>();
        ((Map<?, ?>) ref.get("dims")).forEach((k, v) -> dims.put((String) k, ((Number) v).intValue()));
        Map<?, ?> inputs = (Map<?, ?>) ref.get("inputs");
        Map<?, ?> params = (Map<?, ?>) ref.get("params");
        Map<Node, NdArray> leaves = new HashMap<>();
        Map<String, Node> byName = new HashMap<>();
        for (Graph.Input in : m.inputs()) {
            leaves.put(in.node(), array(inputs.get(in.name())));
            byName.put(in.name(), in.node());
        }
        for (Graph.Param p : m.params()) {
            leaves.put(p.node(), array(params.get(p.name())));
            byName.put(p.name(), p.node());
        }

        List<Node> roots = new ArrayList<>();
        roots.add(m.loss().node());
        m.outputs().forEach(o -> roots.add(o.node()));
        g.ofWrt().stream().filter(Objects::nonNull).forEach(roots::add);
        Map<Node, NdArray> values = new Interpreter(dims).run(roots, leaves);

        assertClose(name + " loss", NdArray.scalar(((Number) ref.get("loss")).doubleValue()),
                values.get(m.loss().node()));
        for (Graph.Output o : m.outputs()) {
            assertClose(name + " output " + o.name(), array(((Map<?, ?>) ref.get("outputs")).get(o.name())),
                    values.get(o.node()));
        }
        Map<?, ?> gradients = (Map<?, ?>) ref.get("gradients");
        assertEquals(gradients.size(), g.wrt().size(), name + ": gradients compared");
        for (Map.Entry<?, ?> e : gradients.entrySet()) {
            Node x = byName.get((String) e.getKey());
            NdArray expected = array(e.getValue());
            Node dx = g.of(x);
            NdArray actual = dx == null ? NdArray.zeros(expected.shape()) : values.get(dx);
            assertClose(name + " gradient " + e.getKey(), expected, actual);
        }
    }

    private static void assertClose(String what, NdArray expected, NdArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        for (int i = 0; i < expected.data().length; i++) {
            double e = expected.data()[i];
            double a = actual.data()[i];
            assertTrue(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e),
                    what + "[" + i + "]: PyTorch " + e + ", Adjoint " + a);
        }
    }

    /** A nested JSON list (or a bare number) as an array; the shape is read from the nesting. */
    private static NdArray array(Object json) {
        List<Integer> shape = new ArrayList<>();
        Object o = json;
        while (o instanceof List<?> l) {
            shape.add(l.size());
            o = l.isEmpty() ? null : l.get(0);
        }
        List<Double> flat = new ArrayList<>();
        flatten(json, flat);
        return new NdArray(shape.stream().mapToInt(Integer::intValue).toArray(),
                flat.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void flatten(Object json, List<Double> out) {
        if (json instanceof List<?> l) {
            l.forEach(item -> flatten(item, out));
        } else {
            out.add(((Number) json).doubleValue());
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = Objects.requireNonNull(TorchCrossCheckTest.class.getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The JSON text parsed; a syntax error fails the test. */
    private static Object parseJson(String text) {
        try {
            return Json.parse(text);
        } catch (Json.SyntaxException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }
}
