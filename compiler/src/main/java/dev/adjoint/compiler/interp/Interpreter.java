package dev.adjoint.compiler.interp;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.BatchNormOp;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.ConcatOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.CrossEntropyOp;
import dev.adjoint.compiler.ops.DimValueOp;
import dev.adjoint.compiler.ops.GeluGradOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.LayerNormOp;
import dev.adjoint.compiler.ops.LeakyReluOp;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.MatMulOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.PadOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.WhereOp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reference interpreter: evaluates graph nodes in double precision with plain loops, as the oracle
 * for the differentiator and the generated code. {@code f32} values are computed in double too, and a
 * cast to a float type keeps the double value; {@code i32} values are whole doubles, and a result outside
 * the {@code int} range is an error rather than a silent wrap-around.
 */
public final class Interpreter {
    private final Map<String, Integer> dims;

    /** dims: the value of each symbolic dim (e.g. {"B": 2}). */
    public Interpreter(Map<String, Integer> dims) {
        this.dims = new TreeMap<>();
        dims.forEach((name, value) -> {
            if (value == null || value < 0) {
                throw new IllegalArgumentException("interpreter: dim " + name + " needs a size >= 0, got " + value);
            }
            this.dims.put(name, value);
        });
    }

    /**
     * Evaluates every node needed for {@code roots}, given the values of the leaves (InputOp and ParamOp
     * nodes). A value given for any other node is used as is, and what only it needs is not evaluated.
     *
     * @return the value of every node evaluated (roots included), in evaluation order
     * @throws IllegalArgumentException for a missing leaf, a value of the wrong shape or type, an
     *     out-of-range label, an i32 overflow, or an op the interpreter has no rule for
     */
    public Map<Node, NdArray> run(Collection<Node> roots, Map<Node, NdArray> leaves) {
        Map<Node, NdArray> values = new LinkedHashMap<>();
        for (Node n : schedule(roots, leaves)) {
            NdArray v = leaves.get(n);
            if (v != null) {
                checkGiven(n, v);
            } else if (n.op() instanceof InputOp || n.op() instanceof ParamOp) {
                throw new IllegalArgumentException("interpreter: no value given for " + describe(n));
            } else {
                List<NdArray> args = new ArrayList<>(n.inputs().size());
                for (Node in : n.inputs()) {
                    args.add(values.get(in));
                }
                v = apply(n.op(), args, concreteShape(n.shape()));
                checkComputed(n, v);
            }
            values.put(n, v);
        }
        return values;
    }

    public NdArray eval(Node root, Map<Node, NdArray> leaves) {
        return run(List.of(root), leaves).get(root);
    }

    /** The concrete shape of a node's Shape under the dim bindings. */
    public int[] concreteShape(Shape s) {
        int[] out = new int[s.rank()];
        for (int d = 0; d < out.length; d++) {
            long size = dimSize(s.dim(d));
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("interpreter: dimension " + s.dim(d) + " of " + s + " is " + size
                        + " with " + dims + ", too large for an array");
            }
            out[d] = (int) size;
        }
        return out;
    }

    /** The coefficient times the bound value of each symbol. */
    public long dimSize(Dim dim) {
        long size = dim.coefficient();
        for (String symbol : dim.symbols()) {
            Integer value = dims.get(symbol);
            if (value == null) {
                throw new IllegalArgumentException("interpreter: no value for dim " + symbol + " (bound: " + dims + ")");
            }
            size = Math.multiplyExact(size, value);
        }
        return size;
    }

    /** The nodes needed for {@code roots}, inputs before users (iterative post-order: graphs can be deep). */
    private static List<Node> schedule(Collection<Node> roots, Map<Node, NdArray> given) {
        List<Node> order = new ArrayList<>();
        Set<Node> seen = new HashSet<>();
        Deque<Node> stack = new ArrayDeque<>();
        Deque<Integer> nextInput = new ArrayDeque<>();
        for (Node root : roots) {
            if (seen.add(root)) {
                stack.push(root);
                nextInput.push(0);
            }
            while (!stack.isEmpty()) {
                Node n = stack.peek();
                int i = nextInput.pop();
                if (i == n.inputs().size() || given.containsKey(n)) {
                    stack.pop();
                    order.add(n);
                    continue;
                }
                nextInput.push(i + 1);
                Node in = n.input(i);
                if (seen.add(in)) {
                    stack.push(in);
                    nextInput.push(0);
                }
            }
        }
        return order;
    }

    /** One rule per op family; each is a short call into the class holding that family's loops. */
    private NdArray apply(Op op, List<NdArray> a, int[] out) {
        if (op instanceof ConstantOp c) {
            return NdArray.scalar(c.value());
        }
        if (op instanceof DimValueOp d) {
            return NdArray.scalar(dimSize(d.dim()));
        }
        if (op instanceof UnaryOp u) {
            return Elementwise.map(a.get(0), x -> Elementwise.unary(u.fn(), x));
        }
        if (op instanceof LeakyReluOp l) {
            return Elementwise.map(a.get(0), x -> x > 0 ? x : l.alpha() * x);
        }
        if (op instanceof CastOp c) {
            return Elementwise.map(a.get(0), x -> Elementwise.cast(c.to(), x));
        }
        if (op instanceof BinaryOp b) {
            return Elementwise.map2(a.get(0), a.get(1), out, (x, y) -> Elementwise.binary(b.fn(), x, y));
        }
        if (op instanceof CompareOp c) {
            return Elementwise.map2(a.get(0), a.get(1), out, (x, y) -> Elementwise.compare(c.fn(), x, y) ? 1 : 0);
        }
        if (op instanceof WhereOp) {
            return Elementwise.where(a.get(0), a.get(1), a.get(2), out);
        }
        if (op instanceof GeluGradOp) {
            return Elementwise.map2(a.get(0), a.get(1), out, (x, dy) -> dy * Elementwise.geluDerivative(x));
        }
        if (op instanceof ReduceOp r) {
            return Reductions.reduce(r.fn(), r.axes(), a.get(0), out);
        }
        if (op instanceof MatMulOp) {
            return MatMuls.matmul(a.get(0), a.get(1), out);
        }
        if (op instanceof ReshapeOp) {
            return new NdArray(out, a.get(0).data().clone());
        }
        if (op instanceof TransposeOp t) {
            return Layout.transpose(a.get(0), t.perm(), out);
        }
        if (op instanceof BroadcastOp) {
            return Layout.broadcast(a.get(0), out);
        }
        if (op instanceof ConcatOp c) {
            return Layout.concat(a, c.axis(), out);
        }
        if (op instanceof SliceOp s) {
            return Layout.slice(a.get(0), s.axes(), s.starts(), out);
        }
        if (op instanceof PadOp p) {
            return Layout.pad(a.get(0), p.axes(), p.starts(), out);
        }
        if (op instanceof OneHotOp o) {
            return Neural.oneHot(a.get(0), o.n(), out);
        }
        if (op instanceof SoftmaxOp s) {
            return Neural.softmax(a.get(0), s.axis());
        }
        if (op instanceof LogSoftmaxOp s) {
            return Neural.logSoftmax(a.get(0), s.axis());
        }
        if (op instanceof CrossEntropyOp) {
            return Neural.crossEntropy(a.get(0), a.get(1), out);
        }
        if (op instanceof LayerNormOp l) {
            return Neural.layerNorm(a.get(0), a.get(1), a.get(2), l.axis(), l.eps());
        }
        if (op instanceof BatchNormOp b) {
            return Neural.batchNorm(a.get(0), a.get(1), a.get(2), b.eps());
        }
        throw new IllegalArgumentException("interpreter: no rule for op " + op.name());
    }

    /** A value supplied by the caller must have the node's concrete shape and values of its type. */
    private void checkGiven(Node n, NdArray v) {
        int[] expected = concreteShape(n.shape());
        if (!Arrays.equals(expected, v.shape())) {
            throw new IllegalArgumentException("interpreter: " + describe(n) + " needs shape "
                    + Arrays.toString(expected) + bindings(n.shape()) + ", got " + Arrays.toString(v.shape()));
        }
        checkValues(n, v, "was given");
    }

    /** Guards the interpreter's own rules: the shape inferred for the node, and values of its type. */
    private void checkComputed(Node n, NdArray v) {
        int[] expected = concreteShape(n.shape());
        if (!Arrays.equals(expected, v.shape())) {
            throw new IllegalStateException("interpreter: " + n + " computed shape " + Arrays.toString(v.shape())
                    + ", expected " + Arrays.toString(expected));
        }
        checkValues(n, v, "computed");
    }

    /** {@code i32}: whole numbers in the {@code int} range; {@code bool}: 0 or 1. */
    private static void checkValues(Node n, NdArray v, String how) {
        DType t = n.dtype();
        if (t != DType.I32 && t != DType.BOOL) {
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            double x = v.data()[i];
            boolean ok = t == DType.I32
                    ? x == Math.rint(x) && x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE
                    : x == 0 || x == 1;
            if (!ok) {
                throw new IllegalArgumentException("interpreter: " + describe(n) + " " + how + " "
                        + x + " at element " + i + ", which is not " + (t == DType.I32
                                ? "an i32 value (a whole number in the int range)" : "a bool value (0 or 1)"));
            }
        }
    }

    /** {@code input x : f32[B, 64]}, {@code param W1 : f32[64, 32]}, or the node as dumped. */
    private static String describe(Node n) {
        if (n.op() instanceof InputOp i) {
            return "input " + i.name() + " : " + n.type();
        }
        if (n.op() instanceof ParamOp p) {
            return "param " + p.name() + " : " + n.type();
        }
        return n.toString();
    }

    /** {@code " (B=2)"}: the bindings of the symbols in a shape, or nothing for a fixed shape. */
    private String bindings(Shape s) {
        Map<String, Integer> used = new TreeMap<>();
        for (Dim d : s.dims()) {
            for (String symbol : d.symbols()) {
                used.put(symbol, dims.get(symbol));
            }
        }
        if (used.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (");
        used.forEach((k, v) -> b.append(b.length() > 2 ? ", " : "").append(k).append('=').append(v));
        return b.append(')').toString();
    }
}
