package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * Sliding windows over the spatial axes of {@code [N, C, H, W]} values, shared by {@code conv2d}, the poolings and
 * their gradients: the size rules with their messages, and the loops of the reference evaluations. Along one axis a
 * window of {@code k} taps with dilation {@code d} spans {@code d·(k-1)+1} positions; over an input of length
 * {@code n} padded by {@code p} on each side it takes {@code (n + 2p - span) / s + 1} positions with stride
 * {@code s} (rounded down: PyTorch's default, {@code ceil_mode=False}).
 */
final class Windows {
    private static final String[] AXES = {"height", "width"};

    private Windows() {
    }

    /** Stride and dilation at least 1, padding at least 0. */
    static void checkSteps(String op, Pair stride, Pair padding, Pair dilation) {
        atLeast(op, "stride", stride, 1);
        atLeast(op, "padding", padding, 0);
        atLeast(op, "dilation", dilation, 1);
    }

    private static void atLeast(String op, String what, Pair p, int min) {
        if (p.h() < min || p.w() < min) {
            throw new ShapeException(op + ": " + what + " must be at least " + min + ", got " + p);
        }
    }

    /** A window size of at least 1 whose padding is at most half of it, as PyTorch's poolings require. */
    static void checkPoolWindow(String op, Pair size, Pair padding) {
        atLeast(op, "the window size", size, 1);
        for (int a = 0; a < 2; a++) {
            if (2 * padding.get(a) > size.get(a)) {
                throw new ShapeException(op + ": padding " + padding + " is more than half the window size " + size
                        + " (on the " + AXES[a] + "): a window could lie wholly in the padding");
            }
        }
    }

    /** A float value of rank 4: a batch of images {@code [N, C, H, W]}; {@code name} is its argument's name. */
    static void requireImages(String op, int arg, String name, String layout, TensorType t) {
        TypeRules.requireFloat(op, arg, t);
        if (t.rank() != 4) {
            throw new ShapeException(arg, op + ": " + name + " must be " + layout + " (rank 4), got " + t);
        }
    }

    /** The fixed size of spatial axis {@code a} (0 the height, 1 the width) of {@code [N, C, H, W]}. */
    static long spatial(String op, int arg, String name, TensorType t, int a) {
        Dim d = t.shape().dim(2 + a);
        if (!d.isFixed()) {
            throw new ShapeException(arg, op + ": the " + AXES[a] + " (axis " + (2 + a) + ") of " + name + " " + t
                    + " must be a fixed size, not the dim " + d);
        }
        return d.size();
    }

    /** The number of window positions along spatial axis {@code a}; an error when not one fits. */
    static long positions(String op, int a, long in, int taps, int stride, int pad, int dilation) {
        long span = (long) dilation * (taps - 1) + 1;
        long padded = in + 2L * pad;
        if (span > padded) {
            throw new ShapeException(op + ": a window of " + taps + (dilation == 1 ? "" : " taps with dilation "
                    + dilation + ", spanning " + span + ",") + " does not fit in the " + AXES[a] + " " + in
                    + (pad == 0 ? "" : " padded by " + pad + " on each side"));
        }
        return (padded - span) / stride + 1;
    }

    /**
     * {@code [N, channels, H', W']}: the result of sliding a {@code size} window over the spatial axes of
     * {@code x}.
     */
    static Shape slide(String op, int arg, String name, TensorType x, Dim channels, Pair size, Pair stride,
            Pair padding, Pair dilation) {
        long[] out = new long[2];
        for (int a = 0; a < 2; a++) {
            out[a] = positions(op, a, spatial(op, arg, name, x, a), size.get(a), stride.get(a), padding.get(a),
                    dilation.get(a));
        }
        return Shape.of(x.shape().dim(0), channels, Dim.of(out[0]), Dim.of(out[1]));
    }

    /** {@code stride=1, padding=[1, 0]}, and {@code dilation=2} where given. */
    static String attributes(Pair stride, Pair padding, Pair dilation) {
        return "stride=" + stride + ", padding=" + padding + (dilation == null ? "" : ", dilation=" + dilation);
    }

    /** {@code {sh, sw, ph, pw, dh, dw}}, the runtime's description of a window's steps. */
    static CodeBlock steps(LoweringContext ctx, Pair stride, Pair padding, Pair dilation) {
        return ctx.ints(List.of(stride.h(), stride.w(), padding.h(), padding.w(), dilation.h(), dilation.w()));
    }

    // ---- the loops of the reference evaluations --------------------------------------------------------------

    /** One term {@code x[xi] · w[wi]} of output element {@code yi} of a convolution. */
    @FunctionalInterface
    interface Term {
        void visit(int xi, int wi, int yi);
    }

    /**
     * Every term of the convolution of {@code x [N, C, H, W]} with {@code w [O, C, kh, kw]} into
     * {@code y [N, O, H', W']}, as flat row-major indices, in the order of the sum that gives each output:
     * {@code y[n, o, i, j] = Σ_c Σ_a Σ_b x[n, c, i·sh - ph + a·dh, j·sw - pw + b·dw] · w[o, c, a, b]}, the taps that
     * fall in the padding left out. The same terms give both gradients.
     */
    static void convolve(int[] x, int[] w, int[] y, Pair stride, Pair padding, Pair dilation, Term term) {
        int channels = x[1];
        int height = x[2];
        int width = x[3];
        int kh = w[2];
        int kw = w[3];
        for (int n = 0; n < y[0]; n++) {
            for (int o = 0; o < y[1]; o++) {
                for (int i = 0; i < y[2]; i++) {
                    for (int j = 0; j < y[3]; j++) {
                        int yi = ((n * y[1] + o) * y[2] + i) * y[3] + j;
                        for (int c = 0; c < channels; c++) {
                            for (int a = 0; a < kh; a++) {
                                int r = i * stride.h() - padding.h() + a * dilation.h();
                                for (int b = 0; b < kw; b++) {
                                    int s = j * stride.w() - padding.w() + b * dilation.w();
                                    if (r >= 0 && r < height && s >= 0 && s < width) {
                                        term.visit(((n * channels + c) * height + r) * width + s,
                                                ((o * channels + c) * kh + a) * kw + b, yi);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The input elements of one pooling window. */
    @FunctionalInterface
    interface Window {
        /** Output element {@code yi} reads {@code x} at {@code xi[0 .. count-1]}, in row-major window order. */
        void visit(int yi, int[] xi, int count);
    }

    /**
     * Every window of a pooling of {@code x [N, C, H, W]} into {@code y [N, C, H', W']}: the flat indices of its
     * elements inside the input (those in the padding left out), in row-major order within the window.
     */
    static void pool(int[] x, int[] y, Pair size, Pair stride, Pair padding, Window window) {
        int[] xi = new int[size.h() * size.w()];
        for (int p = 0; p < y[0] * y[1]; p++) {
            for (int i = 0; i < y[2]; i++) {
                for (int j = 0; j < y[3]; j++) {
                    int count = 0;
                    for (int a = 0; a < size.h(); a++) {
                        int r = i * stride.h() - padding.h() + a;
                        for (int b = 0; b < size.w(); b++) {
                            int s = j * stride.w() - padding.w() + b;
                            if (r >= 0 && r < x[2] && s >= 0 && s < x[3]) {
                                xi[count++] = (p * x[2] + r) * x[3] + s;
                            }
                        }
                    }
                    window.visit((p * y[2] + i) * y[3] + j, xi, count);
                }
            }
        }
    }
}
