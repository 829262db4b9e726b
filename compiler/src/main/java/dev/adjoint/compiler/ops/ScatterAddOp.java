package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The adjoint of a {@link TakeOp}'s table: {@code scatter_add(dy [S..., D...], indices [S...])} is
 * {@code [rows, D...]}, zero but for the rows the indices name, each the sum of the rows of {@code dy} taken from
 * it (in index order, so repeats accumulate deterministically). Made by the differentiator; linear in {@code dy},
 * so its adjoint is {@code take} again. {@code indices} names the index argument for the range check's message.
 */
public record ScatterAddOp(Dim rows, String indices) implements Op {

    public ScatterAddOp {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(indices, "indices");
    }

    @Override
    public String name() {
        return "scatter_add";
    }

    @Override
    public String attributes() {
        return "rows=" + rows;
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TensorType dy = args.get(0);
        TensorType idx = args.get(1);
        TypeRules.requireFloat(name(), 0, dy);
        TakeOp.requireIndices(name(), 1, idx);
        int s = idx.rank();
        if (dy.rank() < s || !dy.shape().dims().subList(0, s).equals(idx.shape().dims())) {
            throw new ShapeException(0, name() + ": dy " + dy.shape() + " does not start with the shape "
                    + idx.shape() + " of the indices");
        }
        List<Dim> out = new ArrayList<>();
        out.add(rows);
        out.addAll(dy.shape().dims().subList(s, dy.rank()));
        return dy.withShape(new Shape(out));
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.op(new TakeOp(indices), v.dy(), v.x(1)), null);
    }

    @Override
    public String adjointRule(Node y, int i) {
        return i == 0 ? "scatter_add is linear in dy: its adjoint is take(ddtable, indices)" : "";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        double[] dy = args.get(0).data();
        NdArray idx = args.get(1);
        int[] shape = ctx.shape(y.shape());
        double[] out = new double[Index.size(shape)];
        int width = idx.size() == 0 ? 0 : dy.length / idx.size();
        for (int k = 0; k < idx.size(); k++) {
            int r = TakeOp.row("take", indices, idx, k, shape[0]);
            for (int j = 0; j < width; j++) {
                out[r * width + j] += dy[k * width + j];
            }
        }
        return new NdArray(shape, out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Node idx = y.input(1);
        return CodeBlock.of("$T.scatterAdd($L, $L, $L, $L, $L, $S);\n", JavaCode.rt("Gather"), ctx.ref(y.input(0)),
                ctx.ref(idx), ctx.shapeArray(idx.shape()), ctx.ref(y), ctx.dim(rows), indices);
    }

    /** One addition per element of {@code dy}. */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel();
    }
}
