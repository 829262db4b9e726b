package dev.adjoint.compiler.eval;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.runtime.Mode;
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
public final class Interpreter implements EvalContext {
    private final Map<String, Integer> dims;
    private Mode mode = Mode.TRAINING;
    private final Map<String, double[]> state = new TreeMap<>();
    private long noiseSeed;
    private long trainingStep;

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
     * Evaluates in {@code mode} (default {@link Mode#TRAINING}: the batch's statistics, dropout masks), as the
     * generated code's {@code evaluate(inputs, mode)} does.
     */
    public Interpreter inMode(Mode mode) {
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** The values of states (running statistics) by name; a state not given has its initial value. */
    public Interpreter withState(Map<String, double[]> values) {
        state.putAll(values);
        return this;
    }

    /** The model seed and training step the dropout masks are drawn for (default 0 and 0). */
    public Interpreter withNoise(long seed, long step) {
        this.noiseSeed = seed;
        this.trainingStep = step;
        return this;
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public double[] state(String name) {
        return state.get(name);
    }

    @Override
    public long noiseSeed() {
        return noiseSeed;
    }

    @Override
    public long trainingStep() {
        return trainingStep;
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
                v = n.op().eval(this, n, args);
                checkComputed(n, v);
            }
            values.put(n, v);
        }
        return values;
    }

    public NdArray eval(Node root, Map<Node, NdArray> leaves) {
        return run(List.of(root), leaves).get(root);
    }

    @Override
    public int[] shape(Shape s) {
        return concreteShape(s);
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
    @Override
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
