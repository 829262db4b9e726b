package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.ElementwiseOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Elementwise ops as simple loops: {@code y[i] = f(a[i], b[i])}, with {@code f} the op's own Java expression
 * ({@link ElementwiseOp#java}). An operand of another shape is read by index where it broadcasts
 * ({@link LoopNest}), never copied. Java arithmetic on {@code float} stays in {@code float}; {@code Math}
 * functions compute in double and are cast back once.
 */
final class ElementwiseLowering {
    private final Lowering l;

    ElementwiseLowering(Lowering l) {
        this.l = l;
    }

    /** The loop (or, for a scalar, one assignment); constants are inlined as literals. */
    CodeBlock lower(Node n, ElementwiseOp op) {
        List<Node> read = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (Node in : n.inputs()) {
            if (!(in.op() instanceof ConstantOp) && !in.shape().numel().isOne()) {
                read.add(in);
                shapes.add(in.shape());
            }
        }
        LoopNest loops = new LoopNest(n.shape(), shapes);
        CodeBlock.Builder code = CodeBlock.builder().add(l.alloc(n));
        if (n.shape().numel().isOne()) {
            return code.addStatement("$L[0] = $L", l.ref(n), value(n, op, read, null)).build();
        }
        if (loops.isFlat()) {
            return code.beginControlFlow("for (int i = 0; i < $L.length; i++)", l.ref(n))
                    .addStatement("$L[i] = $L", l.ref(n), value(n, op, read, flat(read.size())))
                    .endControlFlow().build();
        }
        return code.add(loops.emit(l, index -> CodeBlock.of("$L[$L] = $L;\n", l.ref(n), index.get(0),
                value(n, op, read, index.subList(1, index.size()))))).build();
    }

    private static List<CodeBlock> flat(int n) {
        List<CodeBlock> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(CodeBlock.of("i"));
        }
        return out;
    }

    /**
     * One element: the op's expression over its operands, each a literal (constant), {@code x[0]} (a single
     * element), or {@code x[index]}.
     */
    private CodeBlock value(Node n, ElementwiseOp op, List<Node> read, List<CodeBlock> index) {
        List<CodeBlock> at = new ArrayList<>();
        int k = 0;
        for (Node in : n.inputs()) {
            if (in.op() instanceof ConstantOp c) {
                CodeBlock lit = JavaCode.literal(c.value(), in.dtype());
                at.add(c.value() < 0 ? CodeBlock.of("($L)", lit) : lit);
            } else if (in.shape().numel().isOne()) {
                at.add(CodeBlock.of("$L[0]", l.ref(in)));
            } else {
                at.add(CodeBlock.of("$L[$L]", l.ref(in), index.get(k++)));
            }
        }
        JavaExpr e = op.java(n, at);
        return e.wide() && n.dtype() == DType.F32 ? CodeBlock.of("(float) $L", e.code()) : e.code();
    }
}
