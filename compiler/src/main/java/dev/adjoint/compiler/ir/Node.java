package dev.adjoint.compiler.ir;

import java.util.List;

/**
 * A value of the graph: an {@link Op} applied to input nodes. Nodes are immutable and created only by
 * {@link GraphBuilder}, which interns them by structure; identity equality is therefore structural
 * equality within one builder. {@link #id()} is the creation order, a stable topological order.
 */
public final class Node {
    private final int id;
    private final Op op;
    private final List<Node> inputs;
    private final TensorType type;

    Node(int id, Op op, List<Node> inputs, TensorType type) {
        this.id = id;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.type = type;
    }

    public int id() {
        return id;
    }

    public Op op() {
        return op;
    }

    public List<Node> inputs() {
        return inputs;
    }

    public Node input(int i) {
        return inputs.get(i);
    }

    public TensorType type() {
        return type;
    }

    public DType dtype() {
        return type.dtype();
    }

    public Shape shape() {
        return type.shape();
    }

    @Override
    public String toString() {
        return "%" + id + " = " + op.name() + (op.attributes().isEmpty() ? "" : "[" + op.attributes() + "]")
                + inputs.stream().map(n -> "%" + n.id).toList() + " : " + type;
    }
}
