package dev.adjoint.compiler.emit;

import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.CrossEntropyOp;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.MatMulOp;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.compiler.ops.UnaryOp;

/**
 * The textbook rule behind an adjoint step, for the comment above it: the local derivative of the one op
 * that used the value ({@code d(tanh u)/du = 1 - tanh(u)^2}). Empty where no short rule is written down.
 */
final class AdjointRules {
    private AdjointRules() {
    }

    /** The rule for the adjoint of input {@code i} of {@code user}. */
    static String of(Node user, int i) {
        Op op = user.op();
        if (op instanceof UnaryOp u) {
            return switch (u.fn()) {
                case NEG -> "d(-u)/du = -1";
                case EXP -> "d(exp u)/du = exp(u)";
                case LOG -> "d(log u)/du = 1 / u";
                case LOG1P -> "d(log1p u)/du = 1 / (1 + u)";
                case SQRT -> "d(sqrt u)/du = 1 / (2 sqrt(u))";
                case SQUARE -> "d(u^2)/du = 2u";
                case ABS -> "d|u|/du = sign(u)";
                case SIN -> "d(sin u)/du = cos(u)";
                case COS -> "d(cos u)/du = -sin(u)";
                case TANH -> "d(tanh u)/du = 1 - tanh(u)^2";
                case SIGMOID -> "d(sigmoid u)/du = s (1 - s)";
                case RELU -> "d(relu u)/du = [u > 0]";
                case SOFTPLUS -> "d(softplus u)/du = sigmoid(u)";
                case GELU -> "d(gelu u)/du = gelu'(u)";
                case SIGN -> "d(sign u)/du = 0";
            };
        }
        if (op instanceof BinaryOp b) {
            String side = i == 0 ? "a" : "b";
            String rule = switch (b.fn()) {
                case ADD -> "d(a + b)/d" + side + " = 1";
                case SUB -> i == 0 ? "d(a - b)/da = 1" : "d(a - b)/db = -1";
                case MUL -> i == 0 ? "d(a * b)/da = b" : "d(a * b)/db = a";
                case DIV -> i == 0 ? "d(a / b)/da = 1 / b" : "d(a / b)/db = -a / b^2";
                case POW -> i == 0 ? "d(a^b)/da = b a^(b-1)" : "d(a^b)/db = a^b log(a)";
                case MAX -> "d max(a, b)/d" + side + " = [" + side + " is the max]";
                case MIN -> "d min(a, b)/d" + side + " = [" + side + " is the min]";
            };
            boolean broadcast = !user.input(i).shape().equals(user.shape());
            return rule + (broadcast ? ", summed over the broadcast axes" : "");
        }
        if (op instanceof MatMulOp) {
            return i == 0 ? "d(A @ B)/dA: dA = dY @ B^T" : "d(A @ B)/dB: dB = A^T @ dY";
        }
        if (op instanceof ReduceOp r) {
            return switch (r.fn()) {
                case SUM -> "d sum(u)/du = 1, broadcast back";
                case MEAN -> "d mean(u)/du = 1/n, broadcast back";
                case MAX -> "d max(u)/du = [u is the max]";
                case LOGSUMEXP -> "d logsumexp(u)/du = softmax(u)";
            };
        }
        if (op instanceof SoftmaxOp) {
            return "softmax: du = y * (dy - sum(dy * y))";
        }
        if (op instanceof LogSoftmaxOp) {
            return "log_softmax: du = dy - softmax(u) * sum(dy)";
        }
        if (op instanceof CrossEntropyOp) {
            return "d cross_entropy/dlogits = softmax(logits) - one_hot(labels)";
        }
        if (op instanceof TransposeOp) {
            return "transpose: du = transpose(dy) by the inverse permutation";
        }
        if (op instanceof ReshapeOp) {
            return "reshape: du = dy reshaped back";
        }
        if (op instanceof SliceOp) {
            return "slice: du = dy padded with zeros";
        }
        return "";
    }
}
