package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.Elementwise;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import java.util.List;

/**
 * An op computed element by element, its operands broadcast to its shape. It gives the scalar formula once
 * for the reference evaluation ({@link #apply}) and once as a Java expression ({@link #java}); the emitter
 * writes the loop around the expression (and may fuse several such ops into one loop).
 */
public interface ElementwiseOp extends Op {

    /** One element of the result from the operands' elements, in double precision (a mask is 1 or 0). */
    double apply(double[] operands);

    /**
     * One element of {@code y} as Java, given each operand's element as an expression of its own element type
     * ({@code x[i]}, a literal, a boolean for a mask).
     */
    JavaExpr java(Node y, List<CodeBlock> operands);

    @Override
    default NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        return Elementwise.map(args, ctx.shape(y.shape()), this::apply);
    }

    /** Elementwise ops are lowered by the emitter's loop around {@link #java}. */
    @Override
    default CodeBlock lower(LoweringContext ctx, Node y) {
        throw new IllegalStateException(name() + ": an elementwise op is lowered as a loop by the emitter");
    }
}
