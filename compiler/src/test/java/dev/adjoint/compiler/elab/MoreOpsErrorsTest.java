package dev.adjoint.compiler.elab;

import static dev.adjoint.compiler.diag.Sources.assertError;
import static dev.adjoint.compiler.diag.Sources.onlyError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.compiler.diag.Sources;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every misuse of issue 14's ops and language forms (fns returning several values, top-level consts, step slices,
 * constructors, var/std/argmax/prod/stop_gradient) is one error at the offending place, in the user's terms.
 */
class MoreOpsErrorsTest {

    static Stream<Arguments> misuses() {
        return Stream.of(
            Arguments.of("argmaxaxis", """
                model M {
                  input x : f32[3, 4]
                  output o = argmax(x, axis=2)
                }
                """, 3, 29,
                    "argmax: axis 2 is out of range for a tensor of rank 2 [3, 4] (valid:"),
            Arguments.of("argmaxlist", """
                model M {
                  input x : f32[3, 4]
                  output o = argmax(x, axis=[0, 1])
                }
                """, 3, 29,
                    "argmax: takes one axis (an integer), not a list; to find the largest"),
            Arguments.of("asvalue", """
                fn f(x) {
                  return x, x * 2
                }
                model M {
                  input x : f32[3]
                  y = f(x) + 1
                  output o = y
                }
                """, 6, 7,
                    "fn f returns 2 values, where one value is expected; bind them by"),
            Arguments.of("badsize", """
                model M {
                  input x : f32[3]
                  output o = ones([3, 0.5]) 
                }
                """, 3, 19,
                    "ones: each size of the shape must be a positive integer, a const or a"),
            Arguments.of("constnotnum", """
                const H = zeros([3])
                model M {
                  input x : f32[3]
                  output o = x
                }
                """, 1, 11,
                    "const H must be a compile-time number, got a tensor"),
            Arguments.of("count", """
                fn f(x) {
                  return x, x * 2
                }
                model M {
                  input x : f32[3]
                  a, b, c = f(x)
                  output o = a
                }
                """, 6, 13,
                    "fn f returns 2 values, but 3 names are bound: a, b,"),
            Arguments.of("dupconst", """
                const H = 3
                const H = 4
                model M {
                  input x : f32[H]
                  output o = x
                }
                """, 2, 7,
                    "const H is already defined at line 1 of the file's top"),
            Arguments.of("exprfn", """
                fn f(x) = g(x)
                fn g(x) {
                  return x, x
                }
                model M {
                  input x : f32[3]
                  output o = f(x)
                }
                """, 7, 14,
                    "fn f returns 2 values, where one value is expected; bind them by"),
            Arguments.of("eyebad", """
                model M {
                  input x : f32[3]
                  output o = eye(x)
                }
                """, 3, 18,
                    "eye: argument 'n' must be a positive integer, a const or a dim, got a"),
            Arguments.of("fewer", """
                fn f(x) {
                  return x, x, x
                }
                model M {
                  input x : f32[3]
                  a, b = f(x)
                  output o = a
                }
                """, 6, 10,
                    "fn f returns 3 values, but 2 names are bound: a,"),
            Arguments.of("fnsees", """
                const H = 2
                fn f(x) = x * H + K
                model M {
                  input x : f32[3]
                  const K = 1
                  output o = f(x)
                }
                """, 2, 19,
                    "unknown name 'K' in fn f: 'K' belongs to the model that calls it, and"),
            Arguments.of("fullint", """
                model M {
                  input x : f32[3]
                  output o = full([3], 0.5, dtype=i32)
                }
                """, 3, 24,
                    "full: the value 0.5 is not an integer, but dtype is"),
            Arguments.of("fullval", """
                model M {
                  input x : f32[3]
                  output o = full([3], x)
                }
                """, 3, 24,
                    "full: argument 'value' must be a compile-time number, got a tensor"),
            Arguments.of("negstep", """
                model M {
                  input x : f32[6]
                  output o = x[4:1:-1]
                }
                """, 3, 14,
                    "slice: the step of 4:1:-1 on axis 0 must be a positive integer, got"),
            Arguments.of("notuple", """
                model M {
                  input x : f32[3]
                  a, b = exp(x)
                  output o = a
                }
                """, 3, 10,
                    "cannot bind a tensor f32[3] to 2 names; only a call of a fn that"),
            Arguments.of("prodaxis", """
                model M {
                  input x : f32[3]
                  output o = prod(x, axis=1)
                }
                """, 3, 27,
                    "prod: axis 1 is out of range for a tensor of rank 1 [3] (valid:"),
            Arguments.of("retmodel", """
                model M {
                  input x : f32[3]
                  return x, x
                }
                """, 3, 3,
                    "return is only allowed in a fn"),
            Arguments.of("stopint", """
                model M {
                  input x : f32[3]
                  output o = stop_gradient(x, 2)
                }
                """, 3, 31,
                    "stop_gradient: too many arguments: expected at most 1"),
            Arguments.of("symstep", """
                model M {
                  dim B
                  input x : f32[B]
                  output o = x[::2]
                }
                """, 4, 14,
                    "slice: axis 0 of [B] has the symbolic size B and can only be taken"),
            Arguments.of("tupleinlist", """
                fn f(x) {
                  return x, x
                }
                model M {
                  input x : f32[3]
                  output o = concat([f(x)], axis=0)
                }
                """, 6, 22,
                    "fn f returns 2 values, where one value is expected; bind them by"),
            Arguments.of("twice", """
                fn f(x) {
                  return x, x
                }
                model M {
                  input x : f32[3]
                  a, a = f(x)
                  output o = a
                }
                """, 6, 6,
                    "'a' is bound twice on the left of"),
            Arguments.of("unbound", """
                model M {
                  dim B, C
                  input x : f32[B]
                  output o = zeros([C, 3])
                }
                """, 4, 14,
                    "dim C is bound by no input, so this size is unknown when the model is"),
            Arguments.of("varcorr", """
                model M {
                  input x : f32[3, 1]
                  output o = var(x, axis=1)
                }
                """, 3, 14,
                    "var: the reduced axes of f32[3, 1] hold 1 element, so the divisor n -"),
            Arguments.of("varint", """
                model M {
                  input x : i32[3]
                  output o = var(x)
                }
                """, 3, 18,
                    "var: needs a differentiable f32 or f64 tensor, got"),
            Arguments.of("zerostep", """
                model M {
                  input x : f32[6]
                  output o = x[::0]
                }
                """, 3, 14,
                    "slice: the step of ::0 on axis 0 must be a positive integer, got"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void misuses(String name, String source, int line, int column, String words) {
        assertError(onlyError(source), line, column, words);
    }

    /** A fn may bind the values of another fn and return one of them; a model's own binding shadows a const. */
    @Test
    void tuplesInsideFnsAndShadowedConsts() {
        Sources.model("""
                fn pair(x) {
                  return x, x * 2
                }
                fn first(x) {
                  a, b = pair(x)
                  return a + b
                }
                model M {
                  input x : f32[3]
                  output o = first(x)
                }
                """);
        assertEquals(": f32[3]", Sources.detail(Sources.model("""
                const H = 2
                fn scale(x) = x * H
                model M {
                  input x : f32[3]
                  H = 3
                  output o = scale(x) * H
                }
                """), "o"));
    }

    /** A tuple returned from a fn that an expression fn returns passes through; so does a nested tuple return. */
    @Test
    void anExpressionFnPassesSeveralValuesOn() {
        Sources.model("""
                fn g(x) {
                  return x, x * 2
                }
                fn f(x) = g(x)
                model M {
                  input x : f32[3]
                  a, b = f(x)
                  output o = a + b
                }
                """);
    }
}
