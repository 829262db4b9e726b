package dev.adjoint.compiler.eval;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.runtime.Mode;

/**
 * What an op's reference evaluation may ask: the concrete size of a symbolic dim under the bindings, and for the
 * ops that compute differently in training and evaluation ({@link dev.adjoint.compiler.ir.Op#modeDependent}), the
 * mode, the model's state (running statistics) and what seeds the dropout masks.
 */
public interface EvalContext {

    /** The coefficient times the bound value of each symbol. */
    long dimSize(Dim dim);

    /** The concrete shape of {@code s} under the bindings. */
    int[] shape(Shape s);

    /** The mode of the evaluation: {@link Mode#TRAINING} (batch statistics, dropout masks) unless set otherwise. */
    default Mode mode() {
        return Mode.TRAINING;
    }

    /**
     * The values of the state {@code name} ({@link dev.adjoint.compiler.ir.Op.State}), or null when none were given:
     * the op then uses the state's initial value.
     */
    default double[] state(String name) {
        return null;
    }

    /** The model seed the dropout masks are drawn from ({@link dev.adjoint.runtime.Dropout}). */
    default long noiseSeed() {
        return 0;
    }

    /** The training step the dropout masks are drawn for. */
    default long trainingStep() {
        return 0;
    }
}
