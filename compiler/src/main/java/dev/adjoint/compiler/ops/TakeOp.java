package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * {@code take(table, indices)}: rows of {@code table [V, D...]} picked by {@code i32} indices of any shape
 * {@code S}, giving {@code [S..., D...]} (an embedding lookup, PyTorch's {@code embedding} or
 * {@code table[indices]}). An index outside {@code [0, V)} is an error at run time naming {@code indices}, the
 * index and where it is: {@code indices} is how the model wrote the index argument ({@code tokens}). The adjoint of
 * the table adds each row of {@code dy} into the row it came from ({@link ScatterAddOp}), repeats included; the
 * indices get none.
 */
public record TakeOp(String indices) implements Op {

    public TakeOp {
        Objects.requireNonNull(indices, "indices");
    }

    @Override
    public String name() {
        return "take";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TensorType table = args.get(0);
        TypeRules.requireNumber(name(), 0, table);
        if (table.rank() == 0) {
            throw new ShapeException(0, "take: the table must have at least one axis (its rows), got the scalar "
                    + table);
        }
        requireIndices(name(), 1, args.get(1));
        List<Dim> out = new ArrayList<>(args.get(1).shape().dims());
        out.addAll(table.shape().dims().subList(1, table.rank()));
        return table.withShape(new Shape(out));
    }

    static void requireIndices(String op, int arg, TensorType indices) {
        if (indices.dtype() != DType.I32) {
            throw new ShapeException(arg, op + ": indices must be i32 row numbers, got " + indices
                    + (indices.dtype().isFloat() ? "; convert with cast(indices, i32)" : ""));
        }
    }

    /** The table's adjoint sums {@code dy}'s rows into the rows they were taken from. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.op(new ScatterAddOp(v.shape(0).dim(0), indices), v.dy(), v.x(1)), null);
    }

    @Override
    public String adjointRule(Node y, int i) {
        return i == 0 ? "d take/dtable: each row of dy added into the row it was taken from, repeats included" : "";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray table = args.get(0);
        NdArray idx = args.get(1);
        int rows = table.shape()[0];
        int width = rows == 0 ? 0 : table.size() / rows;
        double[] out = new double[idx.size() * width];
        for (int k = 0; k < idx.size(); k++) {
            int r = row("take", indices, idx, k, rows);
            System.arraycopy(table.data(), r * width, out, k * width, width);
        }
        return new NdArray(ctx.shape(y.shape()), out);
    }

    /**
     * Index number {@code k} (row-major) of {@code idx} as a row of a table of {@code rows} rows; out of range is an
     * error naming the indices ({@code what}), the index and its position, as the runtime's {@code Gather} says it.
     */
    static int row(String op, String what, NdArray idx, int k, int rows) {
        double v = idx.data()[k];
        if (!(v >= 0 && v < rows)) {
            throw new IllegalArgumentException(op + ": index " + (long) v + position(idx.shape(), k) + " of " + what
                    + " is out of range for a table of " + rows + (rows == 1 ? " row" : " rows")
                    + (rows == 0 ? "" : " (valid: 0.." + (rows - 1) + ")"));
        }
        return (int) v;
    }

    /** {@code " at [1, 2]"} for flat position {@code k} of {@code shape}, nothing for a scalar. */
    private static String position(int[] shape, int k) {
        if (shape.length == 0) {
            return "";
        }
        int[] at = new int[shape.length];
        for (int d = shape.length - 1, rest = k; d >= 0; d--) {
            at[d] = rest % shape[d];
            rest /= shape[d];
        }
        return " at " + Arrays.toString(at);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Node table = y.input(0);
        Node idx = y.input(1);
        return CodeBlock.of("$T.take($L, $L, $L, $L, $L, $S);\n", JavaCode.rt("Gather"), ctx.ref(table),
                ctx.dim(table.shape().dim(0)), ctx.ref(idx), ctx.shapeArray(idx.shape()), ctx.ref(y), indices);
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
