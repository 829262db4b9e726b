package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.ElementwiseOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers one graph node to Java statements: the emitter allocates the node's buffer in the per-call
 * {@code Workspace}, then the op fills it ({@link dev.adjoint.compiler.ir.Op#lower}), or, for an elementwise
 * op, one simple loop computes it ({@link ElementwiseLowering}). Buffers are written once and never changed
 * afterwards, so an op that shares its input's data ({@link dev.adjoint.compiler.ir.Op#aliasedInput}) reads
 * the same array.
 */
final class Lowering implements LoweringContext {
    private final ValueNames names;

    /** names: how to read each node's buffer ({@code w.h}, {@code W1}) and each dim ({@code w.B}). */
    Lowering(ValueNames names) {
        this.names = names;
    }

    @Override
    public CodeBlock ref(Node n) {
        return names.ref(n);
    }

    @Override
    public CodeBlock dim(Dim d) {
        List<CodeBlock> factors = new ArrayList<>();
        if (d.coefficient() != 1 || d.symbols().isEmpty()) {
            factors.add(CodeBlock.of("$L", d.coefficient()));
        }
        for (String s : d.symbols()) {
            factors.add(CodeBlock.of("$N.$N", names.workspace(), names.dimFields().get(s)));
        }
        return CodeBlock.join(factors, " * ");
    }

    @Override
    public CodeBlock shapeList(Shape s) {
        List<CodeBlock> parts = new ArrayList<>();
        for (Dim d : s.dims()) {
            parts.add(dim(d));
        }
        return CodeBlock.join(parts, ", ");
    }

    @Override
    public CodeBlock scratch(Node y, String purpose, DType dtype, CodeBlock size) {
        return CodeBlock.of("new $T[$L]", JavaCode.elem(dtype), size);
    }

    /** {@code ref = new T[numel];}. */
    CodeBlock alloc(Node n) {
        return CodeBlock.of("$L = new $T[$L];\n", ref(n), JavaCode.elem(n.dtype()), numel(n.shape()));
    }

    /** Whether {@code n} is lowered as a loop around its scalar expression. */
    static boolean isElementwise(Node n) {
        return n.op() instanceof ElementwiseOp;
    }

    /** The statements computing {@code n} into its buffer. */
    CodeBlock lower(Node n) {
        int alias = n.op().aliasedInput(n);
        if (alias >= 0) {
            return CodeBlock.of("$L = $L;  // $L: same data\n", ref(n), ref(n.input(alias)), n.op().name());
        }
        if (n.op() instanceof ElementwiseOp e) {
            return new ElementwiseLowering(this).lower(n, e);
        }
        return CodeBlock.builder().add(alloc(n)).add(n.op().lower(this, n)).build();
    }
}
