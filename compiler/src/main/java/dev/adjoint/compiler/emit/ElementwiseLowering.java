package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.ElementwiseOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Elementwise ops as one simple loop: {@code y[i] = f(a[i], b[i])}, with {@code f} the op's own Java
 * expression ({@link ElementwiseOp#java}). Java arithmetic on {@code float} stays in {@code float};
 * {@code Math} functions compute in double and are cast back once.
 */
final class ElementwiseLowering {
    private final Lowering l;

    ElementwiseLowering(Lowering l) {
        this.l = l;
    }

    /**
     * One flat loop (or, for a scalar, one assignment). Constants are inlined as literals; operands of another
     * shape are broadcast into a local first; single-element operands are read at [0].
     */
    CodeBlock lower(Node n, ElementwiseOp op) {
        boolean scalar = n.shape().numel().isOne();
        CodeBlock.Builder pre = CodeBlock.builder();
        List<CodeBlock> at = new ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) {
            Node in = n.input(i);
            if (in.op() instanceof ConstantOp c) {
                CodeBlock lit = JavaCode.literal(c.value(), in.dtype());
                at.add(c.value() < 0 ? CodeBlock.of("($L)", lit) : lit);
            } else if (in.shape().numel().isOne()) {
                at.add(CodeBlock.of("$L[0]", l.ref(in)));
            } else if (in.shape().equals(n.shape())) {
                at.add(CodeBlock.of("$L[i]", l.ref(in)));
            } else {
                String local = "bcast" + n.id() + "_" + i;
                pre.addStatement("$T $N = new $T[$L]", JavaCode.array(in.dtype()), local, JavaCode.elem(in.dtype()),
                        l.numel(n.shape()));
                pre.addStatement("$T.broadcastTo($L, $L, $N, $L)", JavaCode.rt("Broadcast"), l.ref(in),
                        l.shapeArray(in.shape()), local, l.shapeArray(n.shape()));
                at.add(CodeBlock.of("$N[i]", local));
            }
        }
        JavaExpr e = op.java(n, at);
        CodeBlock value = e.wide() && n.dtype() == DType.F32 ? CodeBlock.of("(float) $L", e.code()) : e.code();
        if (scalar) {
            return CodeBlock.of("$L = new $T[] {$L};\n", l.ref(n), JavaCode.elem(n.dtype()), value);
        }
        CodeBlock.Builder code = CodeBlock.builder().add(l.alloc(n));
        CodeBlock loop = CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L.length; i++)", l.ref(n))
                .addStatement("$L[i] = $L", l.ref(n), value)
                .endControlFlow()
                .build();
        CodeBlock built = pre.build();
        if (built.isEmpty()) {
            return code.add(loop).build();
        }
        return code.add("{\n$>").add(built).add(loop).add("$<}\n").build();
    }
}
