package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The loops of an elementwise computation whose operands broadcast to the output's shape, with each operand read
 * by index (never copied into the output's shape). Axes along which every operand behaves the same (each either
 * runs along it or is broadcast along it) are merged, so a bias add {@code [B, 32] + [32]} is two loops and a
 * same-shape op is one flat loop:
 * <pre>
 *   for (int i0 = 0; i0 < w.B; i0++) {
 *       int o = i0 * 32;
 *       for (int j = 0; j < 32; j++) {
 *           y[o + j] = a[o + j] + b[j];
 *       }
 *   }
 * </pre>
 */
final class LoopNest {
    private final List<Dim> extents = new ArrayList<>();
    /** Per operand, per merged axis: whether the operand runs along it (else it is broadcast). */
    private final List<boolean[]> runs = new ArrayList<>();
    private final int operands;

    /** The loops over {@code out} for operands of the given shapes (each broadcasts to {@code out}). */
    LoopNest(Shape out, List<Shape> shapes) {
        this.operands = shapes.size();
        int r = out.rank();
        List<boolean[]> perAxis = new ArrayList<>();
        List<Dim> sizes = new ArrayList<>();
        for (int a = 0; a < r; a++) {
            Dim size = out.dim(a);
            if (size.isOne()) {
                continue;                                       // a size-1 axis needs no loop
            }
            boolean[] role = new boolean[operands];
            for (int k = 0; k < operands; k++) {
                Shape s = shapes.get(k);
                int lead = r - s.rank();
                role[k] = a >= lead && !s.dim(a - lead).isOne();
            }
            if (!perAxis.isEmpty() && java.util.Arrays.equals(perAxis.get(perAxis.size() - 1), role)) {
                int last = sizes.size() - 1;
                sizes.set(last, sizes.get(last).times(size));   // merge with the previous axis
            } else {
                perAxis.add(role);
                sizes.add(size);
            }
        }
        extents.addAll(sizes);
        runs.addAll(perAxis);
    }

    /** Whether this is one flat loop in which every operand runs along with the output. */
    boolean isFlat() {
        if (extents.size() > 1) {
            return false;
        }
        for (boolean[] role : runs) {
            for (boolean b : role) {
                if (!b) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The loops, with {@code body} given the output's index and each operand's index (an {@code int}
     * expression; {@code 0} for an operand broadcast along every axis) and returning the statements of one
     * element.
     */
    CodeBlock emit(LoweringContext ctx, Function<List<CodeBlock>, CodeBlock> body) {
        return emit(ctx, null, body, null);
    }

    /** Whether operand {@code k} runs along the innermost loop (else it is the same element for all of it). */
    boolean runsInnermost(int k) {
        return !extents.isEmpty() && runs.get(extents.size() - 1)[k];
    }

    /**
     * As {@link #emit(LoweringContext, Function)}, with statements just before and just after the innermost loop,
     * given the same indices (an operand that does not run along the innermost loop has one index for all of it).
     */
    CodeBlock emit(LoweringContext ctx, Function<List<CodeBlock>, CodeBlock> before,
            Function<List<CodeBlock>, CodeBlock> body, Function<List<CodeBlock>, CodeBlock> after) {
        int c = extents.size();
        if (c == 0) {
            List<CodeBlock> idx = new ArrayList<>();
            for (int k = 0; k <= operands; k++) {
                idx.add(CodeBlock.of("0"));
            }
            CodeBlock.Builder only = CodeBlock.builder();
            if (before != null) {
                only.add(before.apply(idx));
            }
            only.add(body.apply(idx));
            if (after != null) {
                only.add(after.apply(idx));
            }
            return only.build();
        }
        CodeBlock.Builder code = CodeBlock.builder();
        for (int a = 0; a < c - 1; a++) {
            code.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", a, a, ctx.dim(extents.get(a)), a);
        }
        // bases for the innermost loop: the output's and each operand's offset at (i0, i1, ...)
        List<CodeBlock> index = new ArrayList<>();
        index.add(base(code, ctx, -1, "o"));
        for (int k = 0; k < operands; k++) {
            index.add(base(code, ctx, k, "o" + (k + 1)));
        }
        List<CodeBlock> inner = new ArrayList<>();
        for (int k = -1; k < operands; k++) {
            CodeBlock b = index.get(k + 1);
            boolean runsInner = k < 0 || runs.get(c - 1)[k];
            if (!runsInner) {
                inner.add(b == null ? CodeBlock.of("0") : b);
            } else {
                inner.add(b == null ? CodeBlock.of("j") : CodeBlock.of("$L + j", b));
            }
        }
        if (before != null) {
            code.add(before.apply(inner));
        }
        code.beginControlFlow("for (int j = 0; j < $L; j++)", ctx.dim(extents.get(c - 1)));
        code.add(body.apply(inner));
        code.endControlFlow();
        if (after != null) {
            code.add(after.apply(inner));
        }
        for (int a = 0; a < c - 1; a++) {
            code.endControlFlow();
        }
        return code.build();
    }

    /**
     * The offset of operand {@code k} ({@code -1}: the output) at the outer indices, declared as a local when
     * it is not a plain {@code 0} (and shared with the output's when equal); null for 0.
     */
    private CodeBlock base(CodeBlock.Builder code, LoweringContext ctx, int k, String local) {
        int c = extents.size();
        List<CodeBlock> terms = new ArrayList<>();
        for (int a = 0; a < c - 1; a++) {
            if (k >= 0 && !runs.get(a)[k]) {
                continue;
            }
            Dim stride = Dim.of(1);
            for (int b = a + 1; b < c; b++) {
                if (k < 0 || runs.get(b)[k]) {
                    stride = stride.times(extents.get(b));
                }
            }
            terms.add(stride.isOne() ? CodeBlock.of("i$L", a) : CodeBlock.of("i$L * $L", a, ctx.dim(stride)));
        }
        if (terms.isEmpty()) {
            return null;
        }
        if (k >= 0 && sameAsOutput(k)) {
            return CodeBlock.of("o");
        }
        code.addStatement("int $N = $L", local, CodeBlock.join(terms, " + "));
        return CodeBlock.of("$N", local);
    }

    /** Whether operand {@code k} runs along every axis (it has the output's layout). */
    private boolean sameAsOutput(int k) {
        for (boolean[] role : runs) {
            if (!role[k]) {
                return false;
            }
        }
        return true;
    }
}
