package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.runtime.Dropout;
import dev.adjoint.runtime.Mode;
import java.util.List;

/**
 * {@code dropout(x, p)}: inverted dropout. In training ({@link Mode#TRAINING}) each element is zeroed with
 * probability {@code p} and the others are scaled by {@code 1 / (1 - p)}; in evaluation it is the identity. The
 * mask is a function of the model's seed, its training step, the call's {@code site} and the element's index
 * ({@link Dropout}), so the same mask can be drawn again: the derivative {@code dx = dy * mask / (1 - p)} is this
 * op applied to {@code dy} at the same site, and a training step can be repeated exactly.
 *
 * @param p the probability of dropping an element, in [0, 1]
 * @param site which dropout call of the model this is (0, 1, … in the order the front end met them): calls at
 *     different sites draw independent masks
 */
public record DropoutOp(double p, int site) implements Op {

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TypeRules.requireFloat(name(), 0, args.get(0));
        if (!(p >= 0 && p <= 1)) {
            throw new ShapeException("dropout: p is the probability of dropping an element, so it must be in [0, 1],"
                    + " got " + Format.number(p));
        }
        return args.get(0);
    }

    @Override
    public String attributes() {
        return "p=" + Format.number(p) + ", site=" + site;
    }

    @Override
    public boolean modeDependent() {
        return true;
    }

    /** {@code dx = dropout(dy)} with the same mask: the same op at the same site. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.op(this, v.dy()));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "d dropout(u)/du = mask / (1 - p), the same mask";
    }

    /** The identity in evaluation; in training the mask of the context's seed and step, drawn as the runtime draws it. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        double[] v = x.data();
        double[] out = v.clone();
        if (ctx.mode() == Mode.TRAINING) {
            long stream = Dropout.stream(ctx.noiseSeed(), ctx.trainingStep(), site);
            double scale = Dropout.scale(p);
            for (int i = 0; i < v.length; i++) {
                out[i] = Dropout.keep(stream, i, p) ? v[i] * scale : 0;
            }
        }
        return new NdArray(x.shape().clone(), out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.of("$T.forward($L, $L, $L, $L, $L, $L, $L);\n", JavaCode.rt("Dropout"), ctx.ref(y.input(0)),
                ctx.ref(y), JavaCode.literal(p, DType.F64), ctx.noiseSeed(), ctx.trainingStep(), ctx.site(site), ctx.mode());
    }
}
