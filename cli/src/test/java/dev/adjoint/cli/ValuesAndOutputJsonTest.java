package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code --values V.json} against a model's declarations, and writing grad's JSON. */
class ValuesAndOutputJsonTest {

    /** Declarations only: x : f32[B, 2], y : i32[B], param W : f32[2, 3]. */
    private static final AdjointModel MODEL = new AdjointModel() {
        private final Map<String, Tensor> params = new LinkedHashMap<>(Map.of("W", FloatTensor.zeros(2, 3)));

        @Override
        public String name() {
            return "M";
        }

        @Override
        public List<InputSpec> inputs() {
            return List.of(InputSpec.parse("x", "f32[B, 2]"), InputSpec.parse("y", "i32[B]"));
        }

        @Override
        public Map<String, Tensor> parameters() {
            return params;
        }

        @Override
        public void setParameter(String name, Tensor value) {
            params.put(name, value);
        }

        @Override
        public void initParameters(long seed) {
        }

        @Override
        public boolean hasLoss() {
            return true;
        }

        @Override
        public ForwardResult forward(Map<String, Tensor> inputs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public GradientResult gradient(Map<String, Tensor> inputs) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void readsTypedTensors() throws Exception {
        ValuesFile.Values v = ValuesFile.read("V.json", """
                { "dims": {"B": 2},
                  "inputs": {"x": [[0.1, 0.2], [0.3, 0.4]], "y": [3, 7]},
                  "params": {"W": [[1, 2, 3], [4, 5, 6]]} }
                """, MODEL);
        assertEquals(Map.of("B", 2), v.dims());
        FloatTensor x = (FloatTensor) v.inputs().get("x");
        assertArrayEquals(new int[] {2, 2}, x.shape());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, x.data());
        assertArrayEquals(new int[] {3, 7}, ((IntTensor) v.inputs().get("y")).data());
        assertArrayEquals(new int[] {2, 3}, v.params().get("W").shape());
    }

    @Test
    void paramsAndDimsMayBeOmitted() throws Exception {
        ValuesFile.Values v = ValuesFile.read("V.json", "{\"inputs\": {\"x\": [[1, 2]], \"y\": [0]}}", MODEL);
        assertTrue(v.params().isEmpty());
        assertTrue(v.dims().isEmpty());
    }

    @Test
    void everyProblemNamesTheFileAndEntry() {
        assertBad("{\"inputs\": {\"x\": [[1, 2]]}}", "V.json: inputs.y: missing; the model needs input y : i32[B]");
        assertBad("{\"inputs\": {\"x\": [[1, 2]], \"y\": [0], \"z\": 1}}", "V.json: inputs.z: the model M has no input z");
        assertBad("{\"inputs\": {\"x\": [[1, 2], [3]], \"y\": [0]}}", "V.json: inputs.x: ragged nesting");
        assertBad("{\"inputs\": {\"x\": [[1, 2]], \"y\": [0.5]}}", "V.json: inputs.y: element 0 is 0.5, not an i32");
        assertBad("{\"dims\": {\"B\": 3}, \"inputs\": {\"x\": [[1, 2]], \"y\": [0]}}",
                "V.json: inputs.x: dims.B is 3 but the input has 1 on axis 0");
        assertBad("{\"inputs\": {\"x\": [[1, 2]], \"y\": [0]}, \"params\": {\"W\": [[1, 2]]}}",
                "V.json: params.W: expected f32[2, 3], got shape [1, 2]");
        assertBad("{\"inputs\": {\"x\": [[1, 2]], \"y\": [0]}, \"params\": {\"V\": 1}}",
                "V.json: params.V: the model M has no param V (params: W)");
        assertBad("{\"input\": {}}", "V.json: unknown section \"input\"");
        assertBad("{\"inputs\": {\"x\": [[1, 2]]", "V.json: 1:");
        assertBad("{\"dims\": {\"B\": 1.5}}", "V.json: dims.B: expected a non-negative integer");
        assertBad("{\"dims\": {\"N\": 2}}", "V.json: dims.N: the inputs of model M have no dim N (their"
                + " dims: B)");
    }

    @Test
    void aRaggedListIsRefusedBeforeAnythingIsAllocated() {
        // The first path says [50000, 50000] (2.5 billion elements); the rest of the list is not that.
        String ragged = "{\"inputs\": {\"x\": [[" + "0,".repeat(49_999) + "0]" + ",0".repeat(49_999) + "], \"y\": [0]}}";
        assertBad(ragged, "V.json: inputs.x: ragged nesting: expected a list of 50000 at depth 1, got 0");
    }

    @Test
    void numbersThatWouldLoseTheirValueAreRefused() {
        assertBad("{\"inputs\": {\"x\": [[1, 1e999]], \"y\": [0]}}",
                "V.json: 1:23: the number 1e999 is too large for a double");
        assertBad("{\"inputs\": {\"x\": [[1, Infinity]], \"y\": [0]}}",
                "V.json: 1:23: unexpected 'I': JSON has no NaN or infinite numbers");
        assertBad("{\"inputs\": {\"x\": [[1, 1e39]], \"y\": [0]}}",
                "V.json: inputs.x: element 1 is 1.0E39, too large for f32");
        assertBad("{\"inputs\": {\"x\": [[1, 2]], \"y\": [3000000000]}}",
                "V.json: inputs.y: element 0 is 3000000000, not an i32 integer");
    }

    @Test
    void unknownDimsAreErrors() {
        assertBad("{\"dims\": {\"Q\": 3}, \"inputs\": {\"x\": [[1, 2]], \"y\": [0]}}",
                "V.json: dims.Q: the inputs of model M have no dim Q (their dims: B)");
    }

    @Test
    void controlCharactersInNamesAreEscaped() {
        assertBad("{\"inputs\": {\"x\\u001b[2J\": 1}}", "V.json: inputs.x\\u001b[2J: the model M has no input"
                + " x\\u001b[2J");
    }

    private static void assertBad(String json, String prefix) {
        ValuesFile.ValuesException e = assertThrows(ValuesFile.ValuesException.class,
                () -> ValuesFile.read("V.json", json, MODEL));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void writesNestedRowMajorJson() {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        outputs.put("probs", FloatTensor.of(new float[] {0.25f, 0.75f, 1e-5f, 1f}, 2, 2));
        Map<String, Tensor> grads = new LinkedHashMap<>();
        grads.put("W[0]", DoubleTensor.of(new double[] {1.5, Double.NaN, Double.NEGATIVE_INFINITY}, 3));
        grads.put("s", DoubleTensor.scalar(-2.0));
        assertEquals("{ \"loss\": 2.5,\n  \"outputs\": {\"probs\": [[0.25, 0.75], [1.0E-5, 1.0]]},\n"
                + "  \"gradients\": {\"W[0]\": [1.5, NaN, -Infinity], \"s\": -2.0} }\n",
                TensorJson.result(2.5, outputs, grads));
        assertEquals("{ \"outputs\": {} }\n", TensorJson.result(null, Map.of(), null));
    }
}
