package dev.adjoint.compiler.elab;

import static dev.adjoint.compiler.diag.Sources.assertError;
import static dev.adjoint.compiler.diag.Sources.errors;
import static dev.adjoint.compiler.diag.Sources.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.diag.Sources;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per error category of LANGUAGE.md ("Errors"): each is reported at the offending token, with a
 * message that says what is wrong in the user's terms.
 */
class ErrorCategoriesTest {

    @Test
    void syntaxError() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  y = (x + 1
                  output o = x
                }
                """);
        assertError(d, 3, 13, "syntax error", "expected ')' after '1'");
    }

    @Test
    void unknownName() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  y = x + zz
                }
                """);
        assertError(d, 3, 11, "unknown name 'zz'");
    }

    @Test
    void unknownNameSuggestsACloseOne() {
        Diagnostic d = onlyError("""
                model M {
                  input hidden : f32[3]
                  y = hiden * 2
                }
                """);
        assertError(d, 3, 7, "unknown name 'hiden'", "did you mean 'hidden'?");
    }

    @Test
    void oneLetterNamesGetNoFarFetchedSuggestion() {
        Diagnostic d = onlyError("model M {\n  input x : f32[3]\n  param W : f32[3] = zeros\n  y = q + x\n}\n");
        assertEquals("unknown name 'q'", d.message());
    }

    @Test
    void unknownDimensionInAShapeSaysHowToDeclareIt() {
        Diagnostic d = onlyError("model M {\n  input x : f32[B, 3]\n}\n");
        assertError(d, 2, 17, "input x: unknown dimension 'B'", "dim B");
    }

    @Test
    void aFunctionUsedAsAValue() {
        List<Diagnostic> all = errors("""
                fn f(a) = a
                model M {
                  input x : f32[3]
                  a = relu
                  b = f + x
                }
                """);
        assertEquals(2, all.size(), all::toString);
        assertError(all.get(0), 4, 7, "'relu' is a function, not a value", "relu(...)");
        assertError(all.get(1), 5, 7, "'f' is a function, not a value");
    }

    @Test
    void nameUsedBeforeItsDefinition() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  a = b * 2
                  b = x
                }
                """);
        assertError(d, 3, 7, "'b' is used before its definition at line 4");
    }

    @Test
    void shapeMismatchInMatmulNamesBothShapes() {
        Diagnostic d = onlyError("""
                model M {
                  dim B
                  input x : f32[B, 3]
                  param W : f32[4, 5] = zeros
                  a = x @ W
                }
                """);
        assertError(d, 5, 9, "matmul", "[B, 3]", "[4, 5]", "inner dimensions 3 and 4 differ");
    }

    @Test
    void shapeMismatchInBroadcastingNamesBothShapes() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[2, 3]
                  param b : f32[4] = zeros
                  a = x + b
                }
                """);
        assertError(d, 4, 9, "add", "[2, 3]", "[4]", "do not broadcast");
    }

    @Test
    void wrongNumberOfArguments() {
        List<Diagnostic> all = errors("""
                fn f(a, b=1.0) = a * b
                model M {
                  input x : f32[3]
                  c = exp(x, x)
                  e = softmax()
                  g = f(x, 2.0, 3.0)
                  h = f()
                }
                """);
        assertEquals(4, all.size(), all::toString);
        assertError(all.get(0), 4, 14, "exp", "too many arguments", "expected at most 1");
        assertError(all.get(1), 5, 7, "softmax", "missing argument 'x'", "got 0 arguments");
        assertError(all.get(2), 6, 17, "f", "too many arguments", "expected at most 2", "got 3");
        assertError(all.get(3), 7, 7, "f", "missing argument 'a'");
    }

    @Test
    void wrongTypeOfArgument() {
        List<Diagnostic> all = errors("""
                model M {
                  input x : f32[2, 3]
                  f = softmax(x, axis=f32)
                  g = reshape(x, 3)
                  p = cast(x, 3)
                  q = sum(x, axis=1.5)
                  r = mean(x, keepdims=1)
                }
                """);
        assertEquals(5, all.size(), all::toString);
        assertError(all.get(0), 3, 23, "softmax", "argument 'axis' must be a compile-time integer", "the type f32");
        assertError(all.get(1), 4, 18, "reshape", "argument 'shape' must be a list", "the number 3");
        assertError(all.get(2), 5, 15, "cast", "argument 'type' must be an element type", "the number 3");
        assertError(all.get(3), 6, 19, "sum", "argument 'axis' must be an integer or a list", "1.5");
        assertError(all.get(4), 7, 24, "mean", "'keepdims' must be true or false");
    }

    @Test
    void i32WhereADifferentiableValueIsNeeded() {
        List<Diagnostic> all = errors("""
                model M {
                  input y : i32[3]
                  input grad z : i32[3]
                  param W : i32[3] = zeros
                  h = exp(y)
                  k = y @ y
                }
                """);
        assertEquals(4, all.size(), all::toString);
        assertError(all.get(0), 3, 18, "input grad z", "i32", "f32 or f64");
        assertError(all.get(1), 4, 13, "param W", "differentiable type (f32 or f64)", "i32[3]");
        assertError(all.get(2), 5, 11, "exp", "differentiable f32 or f64", "i32[3]");
        assertError(all.get(3), 6, 7, "matmul", "differentiable f32 or f64", "i32[3]");
    }

    @Test
    void lossThatIsNotAScalar() {
        List<Diagnostic> all = errors("""
                model M {
                  input x : f32[2, 3]
                  input y : i32[2]
                  loss = x * 2
                }
                model N {
                  input y : i32[2]
                  loss total = sum(y)
                }
                """);
        assertEquals(2, all.size(), all::toString);
        assertError(all.get(0), 4, 10, "loss", "must be a scalar", "f32[2, 3]", "mean(...) or sum(...)");
        assertError(all.get(1), 8, 16, "loss total", "differentiable f32 or f64 scalar", "i32[]");
    }

    @Test
    void twoLosses() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  loss a = sum(x)
                  loss b = mean(x)
                }
                """);
        assertError(d, 4, 3, "at most one loss", "already declared at line 3");
    }

    @Test
    void aComparisonMaskIsNotAnOutput() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  output m = x > 0
                  output n = cast(x > 0, i32)
                }
                """);
        assertError(d, 3, 14, "output m is a comparison mask (bool[3])", "cast(mask, i32)");
    }

    @Test
    void aParamWithMoreElementsThanAJavaArrayHolds() {
        // 65536 fits in a dimension, 65536 x 65536 = 2^32 does not fit in one array
        Diagnostic d = onlyError("""
                model M {
                  param w : f32[65536, 65536] = zeros
                  loss l = sum(w)
                }
                """);
        assertError(d, 2, 13, "param w: f32[65536, 65536] has 4,294,967,296 elements",
                "a Java array holds at most 2,147,483,639");
    }

    @Test
    void anInputWhoseFixedPartAloneIsTooLarge() {
        Diagnostic d = onlyError("""
                model M {
                  dim B
                  input x : f32[B, 65536, 65536]
                  output y = x
                }
                """);
        assertError(d, 3, 13, "input x: f32[B, 65536, 65536] has 4,294,967,296 x B elements");
    }

    @Test
    void aComputedValueTooLargeForOneArray() {
        Diagnostic d = onlyError("""
                model M {
                  input a : f32[65536, 1]
                  input b : f32[1, 65536]
                  output c = a @ b
                }
                """);
        assertError(d, 4, 16, "matmul: the result f32[65536, 65536] has 4,294,967,296 elements");
    }

    @Test
    void anInputWithADimNoCallCanBind() {
        List<Diagnostic> all = errors("""
                model M {
                  dim B, C, D
                  input x : f32[C*D]
                  input y : f32[D*D, 2*B]
                  output o = sum(x) + sum(y)
                }
                """);
        assertEquals(2, all.size(), all::toString);
        assertError(all.get(0), 3, 9, "input x : f32[C*D]: no input gives the size of dim C or D",
                "add an input whose shape has one of them alone");
        assertError(all.get(1), 4, 9, "input y : f32[D*D, 2*B]: no input gives the size of dim D",
                "add an input whose shape has it alone");
    }

    @Test
    void dimsBoundThroughProductsInAnyOrder() {
        // C is bound by y alone; then B*C gives B; 2*B checks against it
        Sources.model("""
                model M {
                  dim B, C
                  input x : f32[B*C, 2*B]
                  input y : f32[C]
                  output o = sum(x) + sum(y)
                }
                """);
    }

    @Test
    void directRecursion() {
        Diagnostic d = onlyError("""
                fn r(x) = r(x) + 1
                model M {
                  input x : f32[3]
                  y = r(x)
                }
                """);
        assertError(d, 1, 11, "recursion in fn r", "r -> r");
    }

    @Test
    void recursionThroughADefaultArgument() {
        // A default is evaluated at every call that omits it: f's default calls f, which needs its default...
        Diagnostic d = onlyError("""
                fn f(x, a=f(x)) = x
                model M {
                  input x : f32[3]
                  output y = f(x)
                }
                """);
        assertError(d, 1, 11, "recursion in fn f", "f -> f");
    }

    @Test
    void recursionThroughADefaultArgumentOfAnotherFn() {
        Diagnostic d = onlyError("""
                fn g(x, a=h(x)) = x + a
                fn h(x) = g(x)
                model M {
                  input x : f32[3]
                  output y = h(x)
                }
                """);
        assertError(d, 2, 11, "recursion in fn g", "g -> h -> g");
    }

    @Test
    void mutualRecursion() {
        Diagnostic d = onlyError("""
                fn f(x) = g(x) * 2
                fn g(x) {
                  y = h(x)
                  return y
                }
                fn h(x) = f(x)
                model M {
                  input x : f32[3]
                  y = f(x)
                  z = g(x)
                }
                """);
        assertError(d, 6, 11, "recursion in fn f", "f -> g -> h -> f");
    }

    @Test
    void loopBoundThatIsNotACompileTimeInteger() {
        List<Diagnostic> all = errors("""
                model M {
                  dim B
                  input x : f32[3]
                  for i in 0..B { h = x }
                  for i in 0..2.5 { h = x }
                  for i in x..3 { h = x }
                }
                """);
        assertEquals(3, all.size(), all::toString);
        assertError(all.get(0), 4, 15, "loop end must be a compile-time integer", "the dim B",
                "bound only when the model is called");
        assertError(all.get(1), 5, 15, "loop end must be a compile-time integer", "the number 2.5");
        assertError(all.get(2), 6, 12, "loop start must be a compile-time integer", "a tensor f32[3]");
    }

    @Test
    void mixedF32AndF64() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  input z : f64[3]
                  a = x * z
                }
                """);
        assertError(d, 4, 9, "mul", "mixed f32 and f64", "f32[3]", "f64[3]", "cast(x, f64)");
    }

    @Test
    void dimInAParamShape() {
        Diagnostic d = onlyError("""
                model M {
                  dim B
                  param W : f32[B, 3] = zeros
                }
                """);
        assertError(d, 3, 17, "param W", "dim B", "fixed (integers and consts only)");
    }

    // ------------------------------------------------------------------ reporting

    @Test
    void threeIndependentErrorsAreThreeDiagnostics() {
        List<Diagnostic> all = errors("""
                model M {
                  input x : f32[2, 3]
                  input z : f64[2, 3]
                  a = x + undefined
                  b = x @ x
                  c = x + z
                  ok = x * 2
                }
                """);
        assertEquals(3, all.size(), all::toString);
        assertError(all.get(0), 4, 11, "unknown name 'undefined'");
        assertError(all.get(1), 5, 9, "matmul");
        assertError(all.get(2), 6, 9, "mixed f32 and f64");
    }

    @Test
    void errorsInsideAnUnrolledLoopAreReportedOnce() {
        List<Diagnostic> all = errors("""
                model M {
                  input x : f32[2, 3]
                  param W[3] : f32[3, 3] = zeros
                  h = x
                  for i in 0..6 {
                    h = h @ W[i]
                    g = h + undefined
                  }
                }
                """);
        assertEquals(2, all.size(), all::toString);
        assertError(all.get(0), 6, 15, "index 3 is out of range for param array W[3]");
        assertError(all.get(1), 7, 13, "unknown name 'undefined'");
    }

    @Test
    void errorsInsideAFnNameTheCallAndAreReportedOnce() {
        List<Diagnostic> all = errors("""
                fn mm(a, b) = a @ b
                model M {
                  input x : f32[2, 3]
                  y1 = mm(x, x)
                  y2 = mm(x.T, x.T)
                  for i in 0..3 { y3 = mm(x, x) }
                }
                """);
        assertEquals(1, all.size(), all::toString);
        assertError(all.get(0), 1, 17, "matmul", "[2, 3] @ [2, 3]", "(in fn mm called at line 4)");
    }

    @Test
    void aFollowOnErrorIsNotReported() {
        // z is invalid after its error; using it again must not produce a second error.
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  z = x @ nothing
                  w = z + 1
                  loss = sum(w) + z
                }
                """);
        assertError(d, 3, 11, "unknown name 'nothing'");
    }

    @Test
    void formattedDiagnosticHasTheHeaderTheSourceLineAndACaretUnderTheToken() {
        var result = Sources.analyze("""
                model M {
                  dim B
                  input x : f32[B, 3]
                  param W : f32[4, 5] = zeros
                  hidden = x @ W
                  y = exp(hidden)
                }
                """);
        assertFalse(result.ok());
        assertEquals("""
                t.model:5:14: error: matmul: [B, 3] @ [4, 5]: inner dimensions 3 and 4 differ
                    hidden = x @ W
                               ^
                1 error
                """, result.diagnostics().format());
        assertEquals("""
                t.model:5:14: error: matmul: [B, 3] @ [4, 5]: inner dimensions 3 and 4 differ
                    hidden = x @ W
                               ^
                """, result.diagnostics().sorted().get(0).format());
    }

    @Test
    void caretUnderlinesTheWholeToken() {
        Diagnostic d = onlyError("model M {\n  input x : f32[3]\n  y = x + undefined\n}\n");
        assertEquals("t.model:3:11: error: unknown name 'undefined'\n"
                + "    y = x + undefined\n"
                + "            ^~~~~~~~~\n", d.format());
    }
}
