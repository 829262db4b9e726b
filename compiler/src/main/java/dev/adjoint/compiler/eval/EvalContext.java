package dev.adjoint.compiler.eval;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Shape;

/** What an op's reference evaluation may ask: the concrete size of a symbolic dim under the bindings. */
public interface EvalContext {

    /** The coefficient times the bound value of each symbol. */
    long dimSize(Dim dim);

    /** The concrete shape of {@code s} under the bindings. */
    int[] shape(Shape s);
}
