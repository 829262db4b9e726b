package dev.adjoint.compiler.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates nodes, interning them by structure: building the same expression twice returns the same node,
 * so common subexpressions are shared from the start. Type inference runs here, once per new node.
 */
public final class GraphBuilder {
    private record Key(Op op, List<Integer> inputs) {
    }

    private final Map<Key, Node> interned = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final int maxNodes;

    /** The most nodes a model's graph may have, its gradient included (a limit of the language). */
    public static final int MAX_NODES = 250_000;

    public GraphBuilder() {
        this(Integer.MAX_VALUE);
    }

    /** A builder that refuses to create more than {@code maxNodes} nodes ({@link GraphTooLargeException}). */
    public GraphBuilder(int maxNodes) {
        this.maxNodes = maxNodes;
    }

    /**
     * A builder holding the nodes of {@code g}, the same node objects with the same ids, to which a pass adds
     * more (differentiation adds the backward pass this way).
     */
    public static GraphBuilder extend(Graph g) {
        return extend(g, Integer.MAX_VALUE);
    }

    /** As {@link #extend(Graph)}, refusing to grow past {@code maxNodes} nodes ({@link GraphTooLargeException}). */
    public static GraphBuilder extend(Graph g, int maxNodes) {
        GraphBuilder b = new GraphBuilder(maxNodes);
        for (Node n : g.nodes()) {
            if (n.id() != b.nodes.size()) {
                throw new IllegalArgumentException("graph node " + n + " is out of schedule order");
            }
            b.nodes.add(n);
            b.interned.putIfAbsent(key(n.op(), n.inputs()), n);
        }
        return b;
    }

    private static Key key(Op op, List<Node> inputs) {
        List<Integer> ids = new ArrayList<>(inputs.size());
        for (Node n : inputs) {
            ids.add(n.id());
        }
        return new Key(op, ids);
    }

    /**
     * The node for {@code op} applied to {@code inputs}, existing or new.
     *
     * @throws ShapeException when the op's type rule rejects the inputs
     */
    public Node add(Op op, Node... inputs) {
        return add(op, Arrays.asList(inputs));
    }

    public Node add(Op op, List<Node> inputs) {
        for (Node n : inputs) {
            if (n.id() >= nodes.size() || nodes.get(n.id()) != n) {
                throw new IllegalArgumentException(op.name() + ": input " + n + " is not a node of this builder");
            }
        }
        Key key = key(op, inputs);
        Node existing = interned.get(key);
        if (existing != null) {
            return existing;
        }
        List<TensorType> types = new ArrayList<>(inputs.size());
        for (Node n : inputs) {
            types.add(n.type());
        }
        TensorType type = op.infer(types);
        if (nodes.size() >= maxNodes) {
            throw new GraphTooLargeException(maxNodes);
        }
        Node node = new Node(nodes.size(), op, inputs, type);
        nodes.add(node);
        interned.put(key, node);
        return node;
    }

    /** Every node created so far, in creation (topological) order. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public int size() {
        return nodes.size();
    }
}
