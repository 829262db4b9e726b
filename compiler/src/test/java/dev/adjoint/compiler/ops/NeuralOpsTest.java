package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.Fixtures.bool;
import static dev.adjoint.compiler.ops.Fixtures.f32;
import static dev.adjoint.compiler.ops.Fixtures.f64;
import static dev.adjoint.compiler.ops.Fixtures.i32;
import static dev.adjoint.compiler.ops.Fixtures.infer;
import static dev.adjoint.compiler.ops.Fixtures.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NeuralOpsTest {

    @Test
    void softmaxAndLogSoftmaxKeepTheType() {
        SoftmaxOp s = new SoftmaxOp(1);
        LogSoftmaxOp l = new LogSoftmaxOp(0);
        assertEquals("softmax", s.name());
        assertEquals("log_softmax", l.name());
        assertEquals("axis=1", s.attributes());
        assertEquals(f32("B", 10), infer(s, f32("B", 10)));
        assertEquals(f64("B", 10), infer(l, f64("B", 10)));
        rejects(-1, "softmax: axis 2 is out of range for a tensor of rank 2 [B, 10]", new SoftmaxOp(2), f32("B", 10));
        rejects(-1, "log_softmax: axis 0 is out of range for a tensor of rank 0 []", l, f32());
        rejects(0, "softmax: needs a differentiable f32 or f64 tensor, got i32[B, 10]", s, i32("B", 10));
        rejects(0, "log_softmax: a comparison mask (bool[3]) is not a number; use where(mask, a, b)", l, bool(3));
    }

    @Test
    void crossEntropyGivesOneLossPerRow() {
        CrossEntropyOp ce = new CrossEntropyOp();
        assertEquals("cross_entropy", ce.name());
        assertEquals("", ce.attributes());
        assertEquals(f32("B"), infer(ce, f32("B", 10), i32("B")));
        assertEquals(f64(), infer(ce, f64(10), i32()));
        assertEquals(f32("B", "T"), infer(ce, f32("B", "T", 50), i32("B", "T")));
    }

    @Test
    void crossEntropyRejections() {
        CrossEntropyOp ce = new CrossEntropyOp();
        rejects(1, "cross_entropy: labels must be integer class indices (i32), got f32[B]", ce, f32("B", 10), f32("B"));
        rejects(0, "cross_entropy: needs a differentiable f32 or f64 tensor, got i32[B, 10]", ce, i32("B", 10), i32("B"));
        rejects(0, "cross_entropy: logits need a class axis (the last), got the scalar f32[]", ce, f32(), i32());
        rejects(1, "cross_entropy: logits [B, 10] need labels of shape [B], got [B, 3]", ce, f32("B", 10), i32("B", 3));
        rejects(1, "cross_entropy: logits [B, 10] need labels of shape [B], got [C]", ce, f32("B", 10), i32("C"));
        rejects(-1, "cross_entropy: expects 2 arguments, got 1", ce, f32("B", 10));
    }

    @Test
    void layerNorm() {
        LayerNormOp ln = new LayerNormOp(1, 1e-5);
        assertEquals("layer_norm", ln.name());
        assertEquals("axis=1, eps=1e-5", ln.attributes());
        assertEquals(f32("B", 64), infer(ln, f32("B", 64), f32(64), f32(64)));
        assertEquals(f64("B", 8, 4), infer(new LayerNormOp(1, 0), f64("B", 8, 4), f64(8), f64(8)));
        rejects(1, "layer_norm: gamma must have shape [64] ([x.dim(1)] of x [B, 64]), got [32]", ln, f32("B", 64), f32(32),
                f32(64));
        rejects(2, "layer_norm: beta must have shape [64] ([x.dim(1)] of x [B, 64]), got [1, 64]", ln, f32("B", 64),
                f32(64), f32(1, 64));
        rejects(2, "layer_norm: mixed f32 and f64 (f32[B, 64] and f64[64]); convert one with cast(x, f64)", ln,
                f32("B", 64), f32(64), f64(64));
        rejects(0, "layer_norm: needs a differentiable f32 or f64 tensor, got i32[B, 64]", ln, i32("B", 64), f32(64),
                f32(64));
        rejects(1, "layer_norm: needs a differentiable f32 or f64 tensor, got i32[64]", ln, f32("B", 64), i32(64),
                f32(64));
        rejects(-1, "layer_norm: axis 1 is out of range for a tensor of rank 1 [64]", ln, f32(64), f32(64), f32(64));
        rejects(-1, "layer_norm: eps must be a finite number >= 0, got -1", new LayerNormOp(0, -1), f32(64), f32(64),
                f32(64));
        rejects(-1, "layer_norm: eps must be a finite number >= 0, got NaN", new LayerNormOp(0, Double.NaN), f32(64),
                f32(64), f32(64));
    }

    @Test
    void batchNorm() {
        BatchNormOp bn = new BatchNormOp(1e-5);
        assertEquals("batch_norm", bn.name());
        assertEquals("eps=1e-5, stats=batch_norm", bn.attributes());
        assertEquals("g1.running_mean", new BatchNormOp(1e-5, "g1").runningMean());
        assertEquals("g1.running_var", new BatchNormOp(1e-5, "g1").runningVar());
        assertEquals(f32("B", 64), infer(bn, f32("B", 64), f32(64), f32(64)));
        assertEquals(f32("B", 3, 8), infer(bn, f32("B", 3, 8), f32(3, 8), f32(3, 8)));
        rejects(0, "batch_norm: x must have a batch axis and at least one more, [N, ...], got f32[64]", bn, f32(64),
                f32(), f32());
        rejects(1, "batch_norm: gamma must have shape [3, 8] (x's shape [B, 3, 8] without the batch axis), got [8]", bn,
                f32("B", 3, 8), f32(8), f32(3, 8));
        rejects(2, "batch_norm: mixed f64 and f32 (f64[B, 4] and f32[4]); convert one with cast(x, f64)", bn,
                f64("B", 4), f64(4), f32(4));
    }
}
