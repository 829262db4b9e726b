package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import java.util.List;

/** What an expression evaluates to during elaboration: a graph value or a compile-time thing. */
sealed interface Value {

    /** A compile-time number; {@code integral} when it is an exact integer. */
    record Num(double value, boolean integral) implements Value {
        static Num of(double v, boolean integralOperands) {
            return new Num(v, integralOperands && v == Math.rint(v) && Math.abs(v) < 9.007199254740992E15);
        }

        long asLong() {
            return (long) value;
        }

        String text() {
            return integral ? Long.toString((long) value) : Double.toString(value);
        }
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements Value {
    }

    /** A value of the graph. */
    record Tensor(Node node) implements Value {
    }

    /** A list literal {@code [a, b, c]}. */
    record ListV(List<Value> items) implements Value {
    }

    /** A symbolic dimension (or a product of them) used in a shape expression. */
    record DimV(Dim dim) implements Value {
    }

    /** An element type named in an expression, as in {@code cast(x, f64)}. */
    record TypeV(DType dtype) implements Value {
    }

    /** A param array {@code W[L]}: its elements are indexed with compile-time integers. */
    record ParamArray(String name, List<Node> elements) implements Value {
    }

    /**
     * The values a fn returns with {@code return a, b}, named after the fn: they can only be bound by position
     * ({@code h, c = cell(...)}) or returned again, never used as one value.
     */
    record TupleV(String fn, List<Value> items) implements Value {
        public TupleV {
            items = List.copyOf(items);
        }
    }

    /** The result of an expression that already produced an error; it silences follow-on errors. */
    record Err() implements Value {
    }

    Err ERROR = new Err();

    static String describe(Value v) {
        if (v instanceof Num n) {
            return "the number " + n.text();
        } else if (v instanceof Bool b) {
            return "the boolean " + b.value();
        } else if (v instanceof Tensor t) {
            return "a tensor " + t.node().type();
        } else if (v instanceof ListV) {
            return "a list";
        } else if (v instanceof DimV d) {
            return "the dim " + d.dim();
        } else if (v instanceof TypeV t) {
            return "the type " + t.dtype();
        } else if (v instanceof TupleV t) {
            return "the " + t.items().size() + " values returned by " + (t.fn() == null ? "return" : "fn " + t.fn());
        } else if (v instanceof ParamArray p) {
            return "the param array " + p.name() + "[" + p.elements().size() + "]";
        }
        return "an invalid value";
    }
}
