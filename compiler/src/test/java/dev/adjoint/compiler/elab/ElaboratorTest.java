package dev.adjoint.compiler.elab;

import static dev.adjoint.compiler.diag.Sources.assertError;
import static dev.adjoint.compiler.diag.Sources.detail;
import static dev.adjoint.compiler.diag.Sources.errors;
import static dev.adjoint.compiler.diag.Sources.model;
import static dev.adjoint.compiler.diag.Sources.onlyError;
import static dev.adjoint.compiler.diag.Sources.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What elaboration makes of a model: the types of its values, inlined fns, unrolled loops, shared nodes. */
class ElaboratorTest {

    private static final String DIGITS = """
            // Two-layer perceptron for 8x8 digit images.
            model DigitsMlp {
              dim B                                  // batch size, bound when the model is called

              input  x  : f32[B, 64]
              input  y  : i32[B]                     // class labels 0..9
              param  W1 : f32[64, 32] = he_normal
              param  b1 : f32[32]     = zeros
              param  W2 : f32[32, 10] = glorot_uniform
              param  b2 : f32[10]     = zeros

              h      = relu(x @ W1 + b1)
              logits = h @ W2 + b2
              output probs = softmax(logits, axis=-1)
              loss   nll   = mean(cross_entropy(logits, y))
            }
            """;

    @Test
    void digitsMlpTypes() {
        ModelGraph m = model(DIGITS);
        assertEquals("DigitsMlp", m.name());
        assertEquals(List.of("B"), m.dims());
        assertEquals("f32[B, 64]", type(m, "x"));
        assertEquals("i32[B]", type(m, "y"));
        assertEquals(": f32[64, 32] = he_normal", detail(m, "W1"));
        assertEquals(": f32[32, 10] = glorot_uniform", detail(m, "W2"));
        assertEquals("f32[B, 32]", type(m, "h"));
        assertEquals("f32[B, 10]", type(m, "logits"));
        assertEquals("f32[B, 10]", type(m, "probs"));
        assertEquals("f32[]", type(m, "nll"));
        assertEquals(List.of("x", "y"), m.inputs().stream().map(Graph.Input::name).toList());
        assertEquals(List.of("W1", "b1", "W2", "b2"), m.params().stream().map(Graph.Param::name).toList());
        assertEquals("probs", m.outputs().get(0).name());
        assertTrue(m.hasLoss());
        assertEquals("nll", m.loss().name());
        assertEquals("f32[]", m.loss().node().type().toString());
    }

    @Test
    void constantsFoldAndServeAsDimensions() {
        ModelGraph m = model("""
                model M {
                  const H = 4
                  const D = sqrt(4.0)
                  const eps = 1e-5
                  input x : f32[2*H, H + 1]
                  param W : f32[D, H / 2] = zeros
                  param V : f32[sqrt(16.0)] = zeros
                  y = x * eps
                }
                """);
        assertEquals("= 4", detail(m, "H"));
        assertEquals("= 2", detail(m, "D"));
        assertEquals("f32[8, 5]", type(m, "x"));
        assertEquals(": f32[2, 2] = zeros", detail(m, "W"));
        assertEquals(": f32[4] = zeros", detail(m, "V"));
        assertEquals("f32[8, 5]", type(m, "y"));
    }

    @Test
    void nonIntegerConstantIsNoDimension() {
        Diagnostic d = onlyError("model M {\n  const H = sqrt(2.0)\n  input x : f32[H]\n}\n");
        assertError(d, 3, 17, "a dimension must be a positive integer", "1.414");
    }

    @Test
    void dimensionsMustFitAJavaArray() {
        List<Diagnostic> all = errors("""
                model M {
                  input x : f32[3000000000]
                  input y : f32[99999999999999999999]
                }
                """);
        assertEquals(2, all.size(), all::toString);
        assertError(all.get(0), 2, 17, "the dimension 3000000000 is too large", "2147483647");
        assertError(all.get(1), 3, 17, "the dimension 100000000000000000000 is too large");
    }

    @Test
    void fnCallsAreInlinedWithKeywordArgumentsAndDefaults() {
        ModelGraph m = model("""
                fn dense(x, W, b=0.0) = x @ W + b
                fn block(x, W, b, scale=1.0) {
                  z = dense(x, W, b)
                  return tanh(z) * scale
                }
                model M {
                  dim B
                  input x : f32[B, 4]
                  param W : f32[4, 4] = zeros
                  param b : f32[4] = zeros
                  output direct = tanh(x @ W + b) * 0.5
                  output inlined = block(x, W, b, scale=0.5)
                  output keywords = block(b=b, W=W, x=x, scale=0.5)
                  output defaulted = dense(x, W)
                }
                """);
        Node direct = m.outputs().get(0).node();
        assertSame(direct, m.outputs().get(1).node(), "an inlined fn builds the same nodes as its body written out");
        assertSame(direct, m.outputs().get(2).node());
        assertEquals("f32[B, 4]", m.outputs().get(3).node().type().toString());
        assertTrue(m.bindings().stream().noneMatch(b -> b.name().equals("z")), "a fn's own names stay inside it");
    }

    @Test
    void aFnSeesOnlyItsParameters() {
        Diagnostic d = onlyError("""
                fn leak(a) = a + secret
                model M {
                  input secret : f32[3]
                  y = leak(secret)
                }
                """);
        assertError(d, 1, 18, "unknown name 'secret'", "in fn leak called at line 4");
    }

    @Test
    void forLoopsUnrollOverParamArrays() {
        ModelGraph m = model("""
                model M {
                  const L = 3
                  input x : f32[2, 4]
                  param W[L] : f32[4, 4] = glorot_uniform
                  param b[L] : f32[4] = zeros
                  h = x
                  for i in 0..L {
                    h = relu(h @ W[i] + b[i])
                  }
                  last = W[-1]
                  output o = h
                }
                """);
        assertEquals(List.of("W[0]", "W[1]", "W[2]", "b[0]", "b[1]", "b[2]"),
                m.params().stream().map(Graph.Param::name).toList());
        Graph.Param w2 = m.params().get(2);
        assertEquals("W", w2.array());
        assertEquals(2, w2.index());
        assertEquals(3, m.nodes().stream().filter(n -> n.op().name().equals("matmul")).count());
        assertEquals(": f32[4, 4] = glorot_uniform", detail(m, "W[3]"));
        assertEquals("f32[4, 4]", type(m, "last"));
    }

    @Test
    void paramArrayIndexOutOfRange() {
        List<Diagnostic> all = errors("""
                model M {
                  param W[3] : f32[2] = zeros
                  a = W[3]
                  b = W[-4]
                  c = W[1:2]
                }
                """);
        assertEquals(3, all.size(), all::toString);
        assertError(all.get(0), 3, 9, "index 3 is out of range for param array W[3]", "valid: 0..2");
        assertError(all.get(1), 4, 9, "index -4 is out of range");
        assertError(all.get(2), 5, 7, "param array W takes one index");
    }

    @Test
    void loopVariableIsANumberAndGoesAwayAfterTheLoop() {
        ModelGraph m = model("""
                model M {
                  input x : f32[3]
                  h = x
                  for i in 1..4 { h = h * i }
                  for j in 3..1 { h = h + undefined_but_never_run }
                  output o = h
                }
                """);
        assertEquals("f32[3]", type(m, "o"));
        Diagnostic d = onlyError("model M {\n  input x : f32[3]\n  for i in 0..2 { h = x }\n  y = i\n}\n");
        assertError(d, 4, 7, "unknown name 'i'");
    }

    @Test
    void rebindingShadowsTheEarlierValue() {
        ModelGraph m = model("""
                model M {
                  input x : f32[2, 3]
                  h = x
                  h = h.T
                  h = sum(h, axis=0)
                  output o = h
                }
                """);
        assertEquals(List.of(": f32[2, 3]", ": f32[3, 2]", ": f32[2]"), m.bindings().stream()
                .filter(b -> b.name().equals("h")).map(ModelGraph.Binding::detail).toList());
        assertEquals("f32[2]", type(m, "o"));
    }

    @Test
    void repeatedStatementsInALoopAreOneRowWithACount() {
        ModelGraph m = model("""
                model M {
                  input x : f32[3]
                  h = x
                  for i in 0..1000 { h = h * 2 }
                }
                """);
        List<ModelGraph.Binding> rows = m.bindings().stream().filter(b -> b.name().equals("h")).toList();
        assertEquals(2, rows.size());
        assertEquals(1000, rows.get(1).count());
    }

    @Test
    void theSameComputationIsOneNode() {
        ModelGraph m = model("""
                model M {
                  dim B
                  input x : f32[B, 4]
                  param W : f32[4, 2] = zeros
                  output a = x @ W
                  output b = x @ W
                  output c = (x @ W) * 2
                  output d = x @ W * 2
                }
                """);
        assertSame(m.outputs().get(0).node(), m.outputs().get(1).node());
        assertSame(m.outputs().get(2).node(), m.outputs().get(3).node());
        assertEquals(1, m.nodes().stream().filter(n -> n.op().name().equals("matmul")).count());
        assertEquals(5, m.spans().get(m.outputs().get(0).node()).line(), "a shared node keeps its first place");
    }

    @Test
    void slicing() {
        ModelGraph m = model("""
                model M {
                  dim B
                  const H = 2
                  input x : f32[B, 8]
                  input v : f32[5, 8]
                  a = x[:, 1:3]
                  b = v[-2:]
                  c = v[-2:, :]
                  d = x[:, H:2*H]
                  e = v[1]
                  f = v[-1]
                  g = v[1:-1, -1]
                  h = x[:]
                  i = v[:, :-5]
                }
                """);
        assertEquals("f32[B, 2]", type(m, "a"));
        assertEquals("f32[2, 8]", type(m, "b"));
        assertEquals("f32[2, 8]", type(m, "c"));
        assertEquals("f32[B, 2]", type(m, "d"));
        assertEquals("f32[8]", type(m, "e"));
        assertEquals("f32[8]", type(m, "f"));
        assertEquals("f32[3]", type(m, "g"));
        assertEquals("f32[B, 8]", type(m, "h"));
        assertEquals("f32[5, 3]", type(m, "i"));
    }

    @Test
    void sliceErrors() {
        List<Diagnostic> all = errors("""
                model M {
                  input v : f32[5, 8]
                  a = v[0:2, 1, 3]
                  b = v[:, 9]
                  c = v[:, x]
                }
                """);
        assertEquals(3, all.size(), all::toString);
        assertError(all.get(0), 3, 17, "too many subscripts", "rank 2");
        assertError(all.get(1), 4, 7, "out of range", "size 8");
        assertError(all.get(2), 5, 12, "unknown name 'x'");
    }

    @Test
    void reshapeTransposeAndCast() {
        ModelGraph m = model("""
                model M {
                  dim B
                  input x : f32[B, 2, 3]
                  input w : f32[4, 6]
                  a = reshape(x, [B, -1])
                  b = reshape(w, [-1])
                  c = reshape(w, [2, 2, 6])
                  d = w.T
                  e = transpose(x, [0, 2, 1])
                  f = transpose(w)
                  g = cast(w, f64)
                  h = cast(w, f32)
                }
                """);
        assertEquals("f32[B, 6]", type(m, "a"));
        assertEquals("f32[24]", type(m, "b"));
        assertEquals("f32[2, 2, 6]", type(m, "c"));
        assertEquals("f32[6, 4]", type(m, "d"));
        assertEquals("f32[B, 3, 2]", type(m, "e"));
        assertEquals("f32[6, 4]", type(m, "f"));
        assertEquals("f64[4, 6]", type(m, "g"));
        assertEquals("f32[4, 6]", type(m, "h"));
        List<Diagnostic> all = errors("""
                model M {
                  input x : f32[2, 3, 4]
                  a = x.T
                  b = reshape(x, [5, -1])
                  c = x.shape
                }
                """);
        assertEquals(3, all.size(), all::toString);
        assertError(all.get(0), 3, 9, "'.T' transposes a 2-D tensor", "transpose(x, [perm])");
        assertError(all.get(1), 4, 7, "reshape", "[5, -1]");
        assertError(all.get(2), 5, 9, "unknown member '.shape'");
    }

    @Test
    void reductions() {
        ModelGraph m = model("""
                model M {
                  dim B
                  input x : f32[B, 3, 4]
                  a = sum(x)
                  b = sum(x, axis=1)
                  c = mean(x, axis=[0, -1])
                  d = sum(x, axis=-1, keepdims=true)
                  e = logsumexp(x, axis=[1, 2], keepdims=true)
                  f = max(x, axis=1)
                  g = max(x, x)
                  h = min(x, 0.0)
                  i = max(x)
                  j = max(2, 3)
                }
                """);
        assertEquals("f32[]", type(m, "a"));
        assertEquals("f32[B, 4]", type(m, "b"));
        assertEquals("f32[3]", type(m, "c"));
        assertEquals("f32[B, 3, 1]", type(m, "d"));
        assertEquals("f32[B, 1, 1]", type(m, "e"));
        assertEquals("f32[B, 4]", type(m, "f"));
        assertEquals("f32[B, 3, 4]", type(m, "g"));
        assertEquals("f32[B, 3, 4]", type(m, "h"));
        assertEquals("f32[]", type(m, "i"));
        assertEquals("= 3", detail(m, "j"));
        Diagnostic d = onlyError("model M {\n  input x : f32[2, 3]\n  a = sum(x, axis=[0, 2])\n}\n");
        assertError(d, 3, 19, "sum", "axis 2 is out of range", "rank 2");
    }

    @Test
    void whereComparisonsAndMasks() {
        ModelGraph m = model("""
                model M {
                  input x : f32[2, 3]
                  input t : f64[3]
                  mask = x > 0
                  a = where(x > 0, x, 0.0)
                  b = where(mask, 1.0, 0.0)
                  c = where(t >= 1, t, 2 * t)
                  y = cast(x, i32)
                  d = where(y == 3, 1.0, 0.0)
                  e = where(y > 0, 1, 0)
                  f = where(t > 0, 1, 0)
                }
                """);
        assertEquals("f32[2, 3]", type(m, "d"));
        assertEquals("i32[2, 3]", type(m, "e"));
        assertEquals("f64[3]", type(m, "f"));
        assertEquals("bool[2, 3]", type(m, "mask"));
        assertEquals("f32[2, 3]", type(m, "a"));
        assertEquals("f32[2, 3]", type(m, "b"));
        assertEquals("f64[3]", type(m, "c"));
        Diagnostic d = onlyError("model M {\n  input x : f32[2, 3]\n  a = where(x, x, 0.0)\n}\n");
        assertError(d, 3, 13, "where", "comparison mask");
    }

    @Test
    void neuralFunctions() {
        ModelGraph m = model("""
                model M {
                  dim B
                  input x : f32[B, 8]
                  input y : i32[B]
                  param g : f32[8] = ones
                  param b : f32[8] = zeros
                  a = softmax(x)
                  c = log_softmax(x, axis=0)
                  d = cross_entropy(x, y)
                  e = one_hot(y, 8)
                  f = one_hot(y, 8, dtype=f64)
                  h = layer_norm(x, g, b)
                  i = layer_norm(x, g, b, axis=-1, eps=1e-3)
                  j = batch_norm(x, g, b, eps=1e-3)
                  k = mse(x, e)
                  l = mse(x, 0.5)
                  n = concat([x, e, x], axis=1)
                  o = concat([x, x], axis=-2)
                  p = leaky_relu(x, alpha=0.2)
                  q = gelu(x) + softplus(x) + sigmoid(x) + log1p(abs(x)) + square(x) + sin(x) * cos(x)
                  r = pow(x, 2) + x ^ 0.5
                }
                """);
        assertEquals("f32[B, 8]", type(m, "a"));
        assertEquals("f32[B, 8]", type(m, "c"));
        assertEquals("f32[B]", type(m, "d"));
        assertEquals("f32[B, 8]", type(m, "e"));
        assertEquals("f64[B, 8]", type(m, "f"));
        assertEquals("f32[B, 8]", type(m, "h"));
        assertEquals("f32[B, 8]", type(m, "i"));
        assertEquals("f32[B, 8]", type(m, "j"));
        assertEquals("f32[]", type(m, "k"));
        assertEquals("f32[]", type(m, "l"));
        assertEquals("f32[B, 24]", type(m, "n"));
        assertEquals("f32[2*B, 8]", type(m, "o"));
        assertEquals("f32[B, 8]", type(m, "p"));
        assertEquals("f32[B, 8]", type(m, "q"));
        assertEquals("f32[B, 8]", type(m, "r"));
    }

    @Test
    void mseDoesNotBroadcast() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[4, 3]
                  input y : f32[3]
                  loss = mse(x, y)
                }
                """);
        assertError(d, 4, 10, "mse", "[4, 3]", "[3]", "does not broadcast");
    }

    @Test
    void neuralFunctionErrors() {
        List<Diagnostic> all = errors("""
                model M {
                  input x : f32[4, 3]
                  input y : i32[4]
                  param g : f32[4] = ones
                  a = cross_entropy(x, x)
                  b = one_hot(x, 3)
                  c = one_hot(y, 0)
                  d = layer_norm(x, g, g)
                  e = concat([x, y], axis=0)
                  f = softmax(x, axis=2)
                }
                """);
        assertEquals(6, all.size(), all::toString);
        assertError(all.get(0), 5, 24, "cross_entropy", "i32");
        assertError(all.get(1), 6, 15, "one_hot", "i32");
        assertError(all.get(2), 7, 18, "one_hot", "class count n must be between 1 and", "got 0");
        assertError(all.get(3), 8, 21, "layer_norm", "gamma", "[3]", "[4]");
        assertError(all.get(4), 9, 7, "concat");
        assertError(all.get(5), 10, 23, "softmax", "axis 2 is out of range");
    }

    @Test
    void unknownFunctionSuggestsTheClosestName() {
        List<Diagnostic> all = errors("""
                fn dense(x, W) = x @ W
                model M {
                  input x : f32[2, 3]
                  a = sofmax(x)
                  b = dens(x, x)
                  c = frobnicate(x)
                }
                """);
        assertEquals(3, all.size(), all::toString);
        assertError(all.get(0), 4, 7, "unknown function 'sofmax'", "did you mean 'softmax'?");
        assertError(all.get(1), 5, 7, "unknown function 'dens'", "did you mean 'dense'?");
        assertEquals("unknown function 'frobnicate'", all.get(2).message());
    }

    @Test
    void inputsParamsAndOutputsFormTheInterface() {
        ModelGraph m = model("""
                model M {
                  input x : f64[3]
                  input grad g : f64[3]
                  param p : f64 = constant(2)
                  param q : f64[3] = uniform(-1, 1)
                  output o = x * g
                  output s = sum(o) * p
                }
                """);
        assertFalse(m.inputs().get(0).grad());
        assertTrue(m.inputs().get(1).grad());
        assertEquals("constant(2)", m.params().get(0).init().toString());
        assertEquals("uniform(-1, 1)", m.params().get(1).init().toString());
        assertFalse(m.hasLoss());
        assertEquals(List.of("o", "s"), m.outputs().stream().map(Graph.Output::name).toList());
        assertNotSame(m.outputs().get(0).node(), m.outputs().get(1).node());
    }

    @Test
    void declarationErrors() {
        List<Diagnostic> all = errors("""
                model M {
                  dim B
                  input B : f32[3]
                  param W : f32[3] = gaussian
                  param V : f32[3] = uniform(1, -1)
                  param U[0] : f32[3] = zeros
                  input t : f16[3]
                  output o = 3
                  return 1
                }
                model M { }
                """);
        assertEquals(8, all.size(), all::toString);
        assertError(all.get(0), 3, 9, "input B", "already declared at line 2");
        assertError(all.get(1), 4, 22, "unknown initializer 'gaussian'");
        assertError(all.get(2), 5, 22, "uniform(lo, hi) needs lo <= hi");
        assertError(all.get(3), 6, 11, "array size must be a positive compile-time integer");
        assertError(all.get(4), 7, 13, "unknown element type 'f16'");
        assertError(all.get(5), 8, 14, "output o must be a tensor");
        assertError(all.get(6), 9, 3, "return is only allowed in a fn body");
        assertError(all.get(7), 11, 7, "model M is defined twice");
    }
}
