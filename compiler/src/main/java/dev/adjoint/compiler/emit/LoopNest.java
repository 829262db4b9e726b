package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The loops of an elementwise computation over an iteration shape, with the output and each operand read by index
 * through an {@link Access}: an operand that broadcasts is read with stride 0 along the axes it is broadcast on
 * (never copied into the output's shape), a slice is read at an offset in its source with the source's strides
 * times the slice's steps (never copied out), and a padded output is written at an offset into its buffer. Axes
 * along which every access can run as one (the stride along the outer axis is the stride along the inner one times
 * the inner one's size) are merged, so a bias add {@code [B, 32] + [32]} is two loops and a same-shape op is one
 * flat loop:
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
    /** Per access (the output first, then the operands), per merged axis: its stride (0: broadcast). */
    private final List<List<Dim>> strides = new ArrayList<>();
    private final List<Access> accesses = new ArrayList<>();
    private final int operands;
    /** How many innermost loops the statements {@code before} and {@code after} enclose (see {@link #spanning}). */
    private int span = 1;

    /**
     * Where an array is read or written at each element of an iteration shape: at {@code offset} (a sum of
     * monomials; empty for 0) plus each index times its axis's stride ({@code strides}, one per axis of the
     * iteration shape; a stride of 0 broadcasts).
     */
    record Access(List<Dim> offset, List<Dim> strides) {
        Access {
            offset = List.copyOf(offset);
            strides = List.copyOf(strides);
        }

        /** An array of shape {@code operand}, laid out contiguously, broadcast to {@code iteration}. */
        static Access contiguous(Shape iteration, Shape operand) {
            return layout(operand).broadcast(iteration, operand);
        }

        /**
         * The elements {@code starts[i], starts[i] + steps[i], ...} on each listed axis of a contiguous array of
         * shape {@code base} (the other axes whole), which form an array of shape {@code window}, broadcast to
         * {@code iteration}: the region of a padded buffer its input fills.
         */
        static Access window(Shape iteration, Shape base, Shape window, List<Integer> axes, List<Long> starts,
                List<Long> steps) {
            return layout(base).sliced(axes, starts, steps).broadcast(iteration, window);
        }

        /** A contiguous array of shape {@code s}, over its own axes (offset 0, row-major strides). */
        static Access layout(Shape s) {
            List<Dim> out = new ArrayList<>();
            Dim st = Dim.of(1);
            for (int a = s.rank() - 1; a >= 0; a--) {
                out.add(0, st);
                st = st.times(s.dim(a));
            }
            return new Access(List.of(), out);
        }

        /**
         * This access, over the axes of some value, narrowed by a slice of that value: the elements
         * {@code starts[i], starts[i] + steps[i], ...} on each listed axis.
         */
        Access sliced(List<Integer> axes, List<Long> starts, List<Long> steps) {
            List<Dim> off = new ArrayList<>(offset);
            List<Dim> st = new ArrayList<>(strides);
            for (int i = 0; i < axes.size(); i++) {
                Dim stride = st.get(axes.get(i));
                addTerm(off, stride.times(Dim.of(starts.get(i))));
                st.set(axes.get(i), stride.times(Dim.of(steps.get(i))));
            }
            return new Access(off, st);
        }

        /** This access, over the axes of a value of shape {@code own}, broadcast to {@code iteration}. */
        Access broadcast(Shape iteration, Shape own) {
            int lead = iteration.rank() - own.rank();
            List<Dim> out = new ArrayList<>();
            for (int a = 0; a < iteration.rank(); a++) {
                boolean runs = a >= lead && !own.dim(a - lead).isOne();
                out.add(runs ? strides.get(a - lead) : Dim.of(0));
            }
            return new Access(offset, out);
        }

        private static void addTerm(List<Dim> terms, Dim t) {
            if (t.coefficient() == 0) {
                return;
            }
            for (int i = 0; i < terms.size(); i++) {
                java.util.Optional<Dim> sum = terms.get(i).plus(t);
                if (sum.isPresent()) {
                    terms.set(i, sum.get());
                    return;
                }
            }
            terms.add(t);
        }
    }

    /** The loops over {@code out} for contiguous operands of the given shapes (each broadcasts to {@code out}). */
    LoopNest(Shape out, List<Shape> shapes) {
        this(out, Access.contiguous(out, out), contiguous(out, shapes));
    }

    private static List<Access> contiguous(Shape out, List<Shape> shapes) {
        List<Access> a = new ArrayList<>();
        shapes.forEach(s -> a.add(Access.contiguous(out, s)));
        return a;
    }

    /** The loops over the shape {@code iteration}, writing through {@code out} and reading through {@code ops}. */
    LoopNest(Shape iteration, Access out, List<Access> ops) {
        this.operands = ops.size();
        accesses.add(out);
        accesses.addAll(ops);
        for (int k = 0; k <= operands; k++) {
            strides.add(new ArrayList<>());
        }
        for (int a = 0; a < iteration.rank(); a++) {
            Dim size = iteration.dim(a);
            if (size.isOne()) {
                continue;                                       // a size-1 axis needs no loop
            }
            int last = extents.size() - 1;
            boolean merge = last >= 0;
            for (int k = 0; k <= operands && merge; k++) {
                Dim inner = accesses.get(k).strides().get(a);
                merge = same(strides.get(k).get(last), inner.times(size));
            }
            if (merge) {
                extents.set(last, extents.get(last).times(size));   // merge with the previous axis
                for (int k = 0; k <= operands; k++) {
                    strides.get(k).set(last, accesses.get(k).strides().get(a));
                }
            } else {
                extents.add(size);
                for (int k = 0; k <= operands; k++) {
                    strides.get(k).add(accesses.get(k).strides().get(a));
                }
            }
        }
    }

    /**
     * Makes {@code before} and {@code after} enclose as many innermost loops as run along what the innermost loop
     * of {@code contiguous} runs along: the same loops over the same shape, with every operand laid out
     * contiguously (a slice copied out). A reduction's partial sum then spans the same elements whether its
     * operands are read in place or not, so its summation order is the same.
     */
    LoopNest spanning(LoopNest contiguous) {
        if (contiguous.extents.isEmpty()) {
            return this;
        }
        Dim target = contiguous.extents.get(contiguous.extents.size() - 1);
        Dim p = Dim.of(1);
        int k = 0;
        while (k < extents.size() && !p.equals(target)) {
            p = p.times(extents.get(extents.size() - 1 - k));
            k++;
        }
        if (!p.equals(target)) {
            throw new IllegalStateException("emitter: the loops " + extents + " do not refine " + contiguous.extents);
        }
        span = Math.max(k, 1);
        return this;
    }

    private static boolean isZero(Dim d) {
        return d.coefficient() == 0;
    }

    private static boolean same(Dim a, Dim b) {
        return isZero(a) && isZero(b) || a.equals(b);
    }

    /** Whether this is one flat loop in which every operand runs along with the output, from 0. */
    boolean isFlat() {
        if (extents.size() > 1) {
            return false;
        }
        for (int k = 0; k <= operands; k++) {
            if (!accesses.get(k).offset().isEmpty()) {
                return false;
            }
            for (Dim s : strides.get(k)) {
                if (!s.isOne()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The loops, with {@code body} given the output's index and each operand's index (an {@code int}
     * expression; the offset, or {@code 0}, for an operand broadcast along every axis) and returning the
     * statements of one element.
     */
    CodeBlock emit(LoweringContext ctx, Function<List<CodeBlock>, CodeBlock> body) {
        return emit(ctx, null, body, null);
    }

    /** Whether there are loops around the innermost one (whose body is a scope of its own). */
    boolean isNested() {
        return extents.size() > 1;
    }

    /** Whether operand {@code k} runs along the innermost loop (else it is the same element for all of it). */
    boolean runsInnermost(int k) {
        return !extents.isEmpty() && !isZero(strides.get(k + 1).get(extents.size() - 1));
    }

    /**
     * As {@link #emit(LoweringContext, Function)}, with statements just before and just after the innermost loop,
     * given the same indices (an operand that does not run along the innermost loop has one index for all of it);
     * or, {@link #spanning} several innermost loops, just before and after those, given the indices at the outer
     * loops' indices alone (right for an operand that does not run along the enclosed loops, such as a
     * reduction's output).
     */
    CodeBlock emit(LoweringContext ctx, Function<List<CodeBlock>, CodeBlock> before,
            Function<List<CodeBlock>, CodeBlock> body, Function<List<CodeBlock>, CodeBlock> after) {
        int c = extents.size();
        if (c == 0) {
            List<CodeBlock> idx = indicesAt(ctx, 0);
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
        int outer = c - span;                                   // the loops around before and after
        CodeBlock.Builder code = CodeBlock.builder();
        for (int a = 0; a < c - 1; a++) {
            if (a == outer && before != null) {
                code.add(before.apply(indicesAt(ctx, outer)));
            }
            code.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", a, a, ctx.dim(extents.get(a)), a);
        }
        // bases for the innermost loop: the output's and each operand's offset at (i0, i1, ...)
        List<CodeBlock> index = new ArrayList<>();
        for (int k = 0; k <= operands; k++) {
            index.add(k > 0 && sameAsOutput(k) ? index.get(0) : base(code, ctx, k, k == 0 ? "o" : "o" + k));
        }
        // Where every operand that runs along the innermost loop runs where the output is written, the loop runs
        // from the output's offset and indexes them all by j alone, which C2 (JDK 17) compiles a little faster than
        // o + j (0.11 against 0.14 ns an element for rows of 64, 0.08 against 0.09 for 512; vectorized either way
        // once the other operands are read outside the loop, see Lowering.elementLoop).
        boolean bare = index.get(0) != null && strides.get(0).get(c - 1).isOne();
        for (int k = 1; k <= operands && bare; k++) {
            bare = isZero(strides.get(k).get(c - 1)) || index.get(k) == index.get(0);
        }
        List<CodeBlock> inner = new ArrayList<>();
        for (int k = 0; k <= operands; k++) {
            CodeBlock b = index.get(k);
            Dim s = strides.get(k).get(c - 1);
            CodeBlock j = s.isOne() ? CodeBlock.of("j") : CodeBlock.of("j * $L", ctx.dim(s));
            if (isZero(s)) {
                inner.add(b == null ? CodeBlock.of("0") : b);
            } else if (bare) {
                inner.add(CodeBlock.of("j"));
            } else {
                inner.add(b == null ? j : CodeBlock.of("$L + $L", b, j));
            }
        }
        if (span == 1 && before != null) {
            code.add(before.apply(inner));
        }
        if (bare) {
            code.beginControlFlow("for (int j = $L; j < $L + $L; j++)", index.get(0), index.get(0),
                    ctx.dim(extents.get(c - 1)));
        } else {
            code.beginControlFlow("for (int j = 0; j < $L; j++)", ctx.dim(extents.get(c - 1)));
        }
        code.add(body.apply(inner));
        code.endControlFlow();
        for (int a = c - 2; a >= outer; a--) {
            code.endControlFlow();
        }
        if (after != null) {
            code.add(after.apply(span == 1 ? inner : indicesAt(ctx, outer)));
        }
        for (int a = 0; a < outer; a++) {
            code.endControlFlow();
        }
        return code.build();
    }

    /** Each access's index at the indices of the first {@code loops} loops alone (the others at 0), written out. */
    private List<CodeBlock> indicesAt(LoweringContext ctx, int loops) {
        List<CodeBlock> out = new ArrayList<>();
        for (int k = 0; k <= operands; k++) {
            List<CodeBlock> terms = terms(ctx, k, loops);
            out.add(terms.isEmpty() ? CodeBlock.of("0") : CodeBlock.join(terms, " + "));
        }
        return out;
    }

    /** The terms of access {@code k}'s index: its offset, and each of the first {@code loops} loops' index. */
    private List<CodeBlock> terms(LoweringContext ctx, int k, int loops) {
        List<CodeBlock> terms = new ArrayList<>();
        accesses.get(k).offset().forEach(d -> terms.add(ctx.dim(d)));
        for (int a = 0; a < loops; a++) {
            Dim stride = strides.get(k).get(a);
            if (!isZero(stride)) {
                terms.add(stride.isOne() ? CodeBlock.of("i$L", a) : CodeBlock.of("i$L * $L", a, ctx.dim(stride)));
            }
        }
        return terms;
    }

    /**
     * The offset of access {@code k} ({@code 0}: the output) at the outer indices, declared as a local inside the
     * outer loops when it is not a plain {@code 0} (written out where there are no outer loops: the statements of
     * a step share their method's scope); null for 0.
     */
    private CodeBlock base(CodeBlock.Builder code, LoweringContext ctx, int k, String local) {
        int c = extents.size();
        List<CodeBlock> terms = terms(ctx, k, c - 1);
        if (terms.isEmpty()) {
            return null;
        }
        if (c == 1) {
            return CodeBlock.join(terms, " + ");
        }
        code.addStatement("int $N = $L", local, CodeBlock.join(terms, " + "));
        return CodeBlock.of("$N", local);
    }

    /** Whether operand {@code k} is read where the output is written (the same offset and strides). */
    private boolean sameAsOutput(int k) {
        if (!accesses.get(k).offset().equals(accesses.get(0).offset())) {
            return false;
        }
        for (int a = 0; a < extents.size(); a++) {
            if (!same(strides.get(k).get(a), strides.get(0).get(a))) {
                return false;
            }
        }
        return true;
    }
}
