package dev.adjoint.compiler.elab;

import static dev.adjoint.compiler.diag.Sources.assertError;
import static dev.adjoint.compiler.diag.Sources.model;
import static dev.adjoint.compiler.diag.Sources.onlyError;
import static dev.adjoint.compiler.diag.Sources.type;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.compiler.diag.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code conv2d}, {@code max_pool2d}, {@code avg_pool2d} and {@code take} as a model writes them: types and errors. */
class SpatialBuiltinsTest {
    private static final String HEAD = """
            model M {
              dim B
              input  x : f32[B, 3, 9, 8]
              input  i : i32[B, 5]
              input  f : f32[B, 5]
              param  w : f32[4, 3, 3, 2] = he_normal
              param  E : f32[10, 6] = normal(0, 1)
            """;

    @ParameterizedTest(name = "{0} : {1}")
    @CsvSource(delimiter = '|', value = {
        "conv2d(x, w)                                            | f32[B, 4, 7, 7]",
        "conv2d(x, w, stride=2)                                  | f32[B, 4, 4, 4]",
        "conv2d(x, w, padding=1)                                 | f32[B, 4, 9, 9]",
        "conv2d(x, w, stride=[2, 1], padding=[0, 1], dilation=2) | f32[B, 4, 3, 8]",
        "conv2d(x=x, w=w, dilation=[3, 1])                       | f32[B, 4, 3, 7]",
        "max_pool2d(x, 2)                                        | f32[B, 3, 4, 4]",
        "max_pool2d(x, 3, stride=1, padding=1)                   | f32[B, 3, 9, 8]",
        "avg_pool2d(x, [3, 2], stride=[3, 1])                    | f32[B, 3, 3, 7]",
        "avg_pool2d(x, size=2, padding=1)                        | f32[B, 3, 5, 5]",
        "take(E, i)                                              | f32[B, 5, 6]",
        "take(E, i[:, 2:3])                                      | f32[B, 1, 6]",
        "take(reshape(E, [60]), i)                               | f32[B, 5]",
        "take(table=E, indices=cast(f, i32))                     | f32[B, 5, 6]",
    })
    void types(String expr, String expected) {
        assertEquals(expected, type(model(HEAD + "  y = " + expr + "\n}\n"), "y"));
    }

    private static Diagnostic error(String expr) {
        return onlyError(HEAD + "  y = " + expr + "\n}\n");
    }

    @Test
    void argumentsThatAreNotIntsOrPairs() {
        assertError(error("conv2d(x, w, stride=1.5)"), 8, 27,
                "conv2d: argument 'stride' must be a compile-time integer or a pair of them [h, w], got the number 1.5");
        assertError(error("conv2d(x, w, padding=[1, 2, 3])"), 8, 28,
                "conv2d: argument 'padding' must be a compile-time integer or a pair of them [h, w], got a list of 3");
        assertError(error("max_pool2d(x, E)"), 8, 21,
                "max_pool2d: argument 'size' must be a compile-time integer or a pair of them [h, w], got a tensor");
    }

    @Test
    void sizesOutOfRange() {
        assertError(error("conv2d(x, w, stride=0)"), 8, 27, "conv2d: stride must be at least 1, got 0");
        assertError(error("conv2d(x, w, padding=[0, -1])"), 8, 28, "conv2d: padding must be at least 0, got [0, -1]");
        assertError(error("conv2d(x, w, dilation=0)"), 8, 29, "conv2d: dilation must be at least 1, got 0");
        assertError(error("avg_pool2d(x, 0)"), 8, 21, "avg_pool2d: size must be at least 1, got 0");
        assertError(error("max_pool2d(x, 3, padding=2)"), 8, 32,
                "max_pool2d: padding 2 is more than half the window size 3: a window could lie wholly in the padding");
    }

    @Test
    void missingArguments() {
        assertError(error("conv2d(x)"), 8, 7, "conv2d: missing argument 'w'",
                "conv2d(x, w, stride, padding, dilation)");
        assertError(error("max_pool2d(x)"), 8, 7, "max_pool2d: missing argument 'size'");
        assertError(error("take(E)"), 8, 7, "take: missing argument 'indices'");
        assertError(error("max_pool2d(x, kernel_size=2)"), 8, 21, "max_pool2d: unknown argument 'kernel_size'",
                "(PyTorch's kernel_size= is size= here)");
    }

    @Test
    void convolutionShapes() {
        assertError(error("conv2d(f, w)"), 8, 14,
                "conv2d: x must be [N, C, H, W] (rank 4), got f32[B, 5]");
        assertError(error("conv2d(x, E)"), 8, 17,
                "conv2d: w must be [O, C, kh, kw] (rank 4), got f32[10, 6]");
        assertError(error("conv2d(x, reshape(w, [4, 1, 9, 2]))"), 8, 17,
                "conv2d: x [B, 3, 9, 8] has 3 channels (axis 1), but w [4, 1, 9, 2] [O, C, kh, kw] takes 1");
        assertError(error("conv2d(x, reshape(w, [1, 3, 12, 2]))"), 8, 7,
                "conv2d: a window of 12 does not fit in the height 9");
        assertError(error("conv2d(x, w, dilation=5, padding=[0, 1])"), 8, 7,
                "conv2d: a window of 3 taps with dilation 5, spanning 11, does not fit in the height 9");
        assertError(error("conv2d(x, cast(w, f64))"), 8, 17, "conv2d: mixed f32 and f64");
        assertError(error("conv2d(cast(x, i32), w)"), 8, 14, "conv2d: needs a differentiable f32 or f64 tensor");
    }

    @Test
    void symbolicSpatialSizesAreRejected() {
        Diagnostic d = onlyError("""
                model M {
                  dim B
                  dim H
                  input  x : f32[B, 1, H, 8]
                  param  w : f32[2, 1, 3, 3] = zeros
                  y = max_pool2d(conv2d(x, w), 2)
                }
                """);
        assertError(d, 6, 25, "conv2d: the height (axis 2) of x f32[B, 1, H, 8] must be a fixed size, not the dim H");
    }

    @Test
    void poolingShapes() {
        assertError(error("max_pool2d(f, 2)"), 8, 18, "max_pool2d: x must be [N, C, H, W] (rank 4), got f32[B, 5]");
        assertError(error("avg_pool2d(x, [10, 2])"), 8, 7, "avg_pool2d: a window of 10 does not fit in the height 9");
    }

    @Test
    void takeShapes() {
        assertError(error("take(E, f)"), 8, 15,
                "take: indices must be i32 row numbers, got f32[B, 5]; convert with cast(indices, i32)");
        assertError(error("take(sum(E), i)"), 8, 12,
                "take: the table must have at least one axis (its rows), got the scalar f32[]");
        assertError(error("take(i > 0, i)"), 8, 12, "take: a comparison mask");
    }
}
