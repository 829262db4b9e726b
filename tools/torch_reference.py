#!/usr/bin/env python3
"""Records PyTorch reference values (loss, outputs, gradients) for a few models.

The Java test dev.adjoint.compiler.ad.TorchCrossCheckTest compiles each model with Adjoint,
differentiates it and compares with these numbers. Regenerate with Debian's PyTorch:

    apt-get install python3-torch python3-numpy
    /usr/bin/python3 tools/torch_reference.py compiler/src/test/resources/torch

Everything is float64; inputs and parameters come from a fixed numpy seed and are stored in the
JSON, so the Java side does not need to reproduce numpy's generator.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20261123)


def rand(*shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape)


CASES = []


def case(name, source, dims, inputs, params, fn):
    CASES.append((name, source, dims, inputs, params, fn))


# 1. An MLP classifier: matmul, broadcasting add, relu, softmax output, mean cross-entropy.
case("mlp", """
model Mlp {
  dim B
  input  x  : f64[B, 5]
  input  y  : i32[B]
  param  W1 : f64[5, 4] = zeros
  param  b1 : f64[4]    = zeros
  param  W2 : f64[4, 3] = zeros
  param  b2 : f64[3]    = zeros
  h      = relu(x @ W1 + b1)
  logits = h @ W2 + b2
  output probs = softmax(logits, axis=-1)
  loss   nll   = mean(cross_entropy(logits, y))
}
""", {"B": 3},
    {"x": rand(3, 5), "y": np.array([2, 0, 1])},
    {"W1": rand(5, 4), "b1": rand(4), "W2": rand(4, 3), "b2": rand(3)},
    lambda v: (lambda h: (lambda logits: (
        {"probs": F.softmax(logits, dim=-1)},
        F.cross_entropy(logits, v["y"], reduction="mean")))(h @ v["W2"] + v["b2"]))(
        F.relu(v["x"] @ v["W1"] + v["b1"])))

# 2. Layer norm, gelu (tanh approximation), logsumexp and mse.
case("layernorm_gelu", """
model LnGelu {
  input x : f64[4, 6]
  input t : f64[4]
  param g : f64[6] = ones
  param b : f64[6] = zeros
  param W : f64[6, 6] = zeros
  z = gelu(layer_norm(x @ W, g, b, eps=1e-5))
  s = logsumexp(z, axis=1)
  loss l = mse(s, t)
}
""", {},
    {"x": rand(4, 6), "t": rand(4)},
    {"g": rand(6, lo=0.5, hi=1.5), "b": rand(6), "W": rand(6, 6)},
    lambda v: (lambda z: ({}, F.mse_loss(torch.logsumexp(z, dim=1), v["t"])))(
        F.gelu(F.layer_norm(v["x"] @ v["W"], (6,), v["g"], v["b"], 1e-5), approximate="tanh")))

# 3. Batch norm (batch statistics), sigmoid, softplus, leaky_relu, log_softmax.
case("batchnorm_mix", """
model BnMix {
  input x : f64[5, 3]
  param g : f64[3] = ones
  param b : f64[3] = zeros
  param V : f64[3, 4] = zeros
  n = batch_norm(x, g, b, eps=1e-5)
  u = sigmoid(n) @ V + softplus(n) @ V
  w = leaky_relu(u, alpha=0.1)
  loss l = -sum(log_softmax(w, axis=0)[:, 1:3]) / 5
}
""", {},
    {"x": rand(5, 3, lo=-3, hi=3)},
    {"g": rand(3, lo=0.5, hi=1.5), "b": rand(3), "V": rand(3, 4)},
    lambda v: (lambda n: (lambda w: ({}, -torch.sum(F.log_softmax(w, dim=0)[:, 1:3]) / 5))(
        F.leaky_relu(torch.sigmoid(n) @ v["V"] + F.softplus(n) @ v["V"], 0.1)))(
        F.batch_norm(v["x"], None, None, v["g"], v["b"], training=True, eps=1e-5)))

# 4. Extended Rosenbrock: slices and powers.
case("rosenbrock", """
model Rosen {
  param x : f64[6] = zeros
  loss f = sum(100 * (x[1:] - x[:-1]^2)^2 + (1 - x[:-1])^2)
}
""", {}, {}, {"x": rand(6, lo=-2, hi=2)},
    lambda v: ({}, torch.sum(100 * (v["x"][1:] - v["x"][:-1] ** 2) ** 2 + (1 - v["x"][:-1]) ** 2)))

# 5. Elementwise functions, where, max/min, pow, concat, transpose, reshape, reductions with axes.
case("elementwise", """
model Elementwise {
  input grad a : f64[2, 3]
  input grad c : f64[3]
  param p : f64[2, 3] = zeros
  e = exp(a) * log1p(abs(p)) + sqrt(c + 2) * sin(p) - cos(a) * tanh(c)
  m = max(a, p) - min(a, 0.2) + pow(abs(p) + 0.5, c)
  k = where(a > 0, e, m)
  q = concat([k, k.T @ k], axis=0)
  r = reshape(q, [-1, 5])
  loss l = sum(mean(square(r), axis=1, keepdims=true)) + sum(max(q, axis=0))
}
""", {},
    {"a": rand(2, 3), "c": rand(3)},
    {"p": rand(2, 3)},
    None)


def elementwise(v):
    a, c, p = v["a"], v["c"], v["p"]
    e = torch.exp(a) * torch.log1p(torch.abs(p)) + torch.sqrt(c + 2) * torch.sin(p) - torch.cos(a) * torch.tanh(c)
    m = torch.maximum(a, p) - torch.minimum(a, torch.tensor(0.2)) + torch.pow(torch.abs(p) + 0.5, c)
    k = torch.where(a > 0, e, m)
    q = torch.cat([k, k.T @ k], dim=0)
    r = torch.reshape(q, (-1, 5))
    return {}, torch.sum(torch.mean(r ** 2, dim=1, keepdim=True)) + torch.sum(torch.amax(q, dim=0))


CASES[-1] = CASES[-1][:5] + (elementwise,)

# 6. log, cast, one_hot, transpose with a permutation, batched matmul, min over a broadcast scalar.
case("shapes_casts", """
model ShapesCasts {
  input x : f64[2, 3, 4]
  input k : i32[2]
  param W : f64[4, 3] = zeros
  param q : f64[2, 3] = zeros
  z = transpose(x @ W, [0, 2, 1])
  u = log(1 + square(z)) * cast(sum(one_hot(k, 3, dtype=i32)), f64)
  v = sum(u, axis=[1, 2]) + mean(one_hot(k, 3, dtype=f64) * q, axis=1)
  loss l = sum(v * v) / 2
}
""", {},
    {"x": rand(2, 3, 4), "k": np.array([1, 2])},
    {"W": rand(4, 3), "q": rand(2, 3)},
    lambda v: (lambda z: (lambda u: (lambda w: ({}, torch.sum(w * w) / 2))(
        torch.sum(u, dim=(1, 2)) + torch.mean(F.one_hot(v["k"], 3).double() * v["q"], dim=1)))(
        torch.log(1 + z ** 2) * torch.sum(F.one_hot(v["k"], 3)).double()))(
        torch.permute(v["x"] @ v["W"], (0, 2, 1))))


# Issue 14 (more reductions, stop_gradient, constructors, step slices, concat of different symbolic sizes,
# top-level consts and a fn returning two values). A generator of their own, so that cases added above do not
# change these numbers.
rng14 = np.random.default_rng(14)

# 7. min, prod, var, std, argmax, clamp, stop_gradient, constructors; t holds ties (min, max share the
# gradient evenly, as torch.amin/amax) and zeros (prod's gradient without dividing by 0).
case("more_reductions", """
model MoreReductions {
  dim B
  input grad x : f64[B, 3, 4]
  input grad t : f64[2, 3]
  param p : f64[3, 4] = zeros
  y = x * p
  output a = argmax(y, axis=1)
  output mn = min(y, axis=-1)
  e = y @ eye(4, dtype=f64) * full([4], 0.5, dtype=f64) + cast(arange(4), f64) * ones([B, 1, 1], dtype=f64)
  loss l = sum(min(y, axis=[0, 2])) + sum(prod(y, axis=1)) + sum(var(y, axis=[0, 2], keepdims=true))
      + sum(std(y, axis=-1, correction=0)) + var(y) + std(y, correction=2) + sum(var(y, axis=1, correction=1.5))
      + sum(min(t, axis=1)) + sum(prod(t, axis=0)) + sum(max(t, axis=1)) + prod(t[1, :2] + 1)
      + sum(clamp(y, -0.3, 0.4)) + sum(y * stop_gradient(y)) + sum(e * e) + sum(zeros([B, 3], dtype=f64) + y[:, :, 1])
}
""", {"B": 3},
    {"x": rng14.uniform(-1, 1, size=(3, 3, 4)), "t": np.array([[1.0, 0.5, 1.0], [0.0, 2.0, 0.0]])},
    {"p": rng14.uniform(-1.5, 1.5, size=(3, 4))},
    lambda v: (lambda y: ({"a": torch.argmax(y, dim=1), "mn": torch.amin(y, dim=-1)},
        torch.sum(torch.amin(y, dim=(0, 2))) + torch.sum(torch.prod(y, dim=1))
        + torch.sum(torch.var(y, dim=(0, 2), keepdim=True)) + torch.sum(torch.std(y, dim=-1, unbiased=False))
        + torch.var(y) + torch.sqrt(torch.sum((y - y.mean()) ** 2) / (y.numel() - 2))
        + torch.sum(torch.sum((y - y.mean(dim=1, keepdim=True)) ** 2, dim=1) / (3 - 1.5))
        + torch.sum(torch.amin(v["t"], dim=1)) + torch.sum(torch.prod(v["t"], dim=0))
        + torch.sum(torch.amax(v["t"], dim=1)) + torch.prod(v["t"][1, :2] + 1)
        + torch.sum(torch.clamp(y, -0.3, 0.4)) + torch.sum(y * y.detach())
        + torch.sum((y @ torch.eye(4) * torch.full((4,), 0.5) + torch.arange(4).double() * torch.ones(3, 1, 1)) ** 2)
        + torch.sum(torch.zeros(3, 3) + y[:, :, 1])))(v["x"] * v["p"]))

# 8. An LSTM (torch.lstm_cell's gate order i, f, g, o) whose cell is a fn returning two values, with top-level
# consts, step slices, and a concat along the symbolic batch axis of parts of sizes 2*B and B.
case("lstm_tuple", """
const H = 2
const T = 5

fn cell(x, h, c, W, U, b) {
  z = x @ W + h @ U + b
  i = sigmoid(z[:, 0:H])
  f = sigmoid(z[:, H:2*H])
  g = tanh(z[:, 2*H:3*H])
  o = sigmoid(z[:, 3*H:])
  c2 = f * c + i * g
  return o * tanh(c2), c2
}

model LstmTuple {
  dim B
  input grad x : f64[B, T, 2]
  input y : i32[B]
  param W : f64[2, 4*H] = zeros
  param U : f64[H, 4*H] = zeros
  param b : f64[4*H] = zeros
  param V : f64[H, 3] = zeros
  h = zeros([B, H], dtype=f64)
  c = zeros([B, H], dtype=f64)
  xs = x[:, 1::2, :]
  for t in 0..2 {
    h, c = cell(xs[:, t, :], h, c, W, U, b)
  }
  d = concat([h, c], axis=0)
  both = concat([d, h * c], axis=0)
  output probs = softmax(h @ V)
  loss l = mean(cross_entropy(h @ V, y)) + 0.1 * sum(both * both)
}
""", {"B": 3},
    {"x": rng14.uniform(-1, 1, size=(3, 5, 2)), "y": np.array([2, 0, 1])},
    {"W": rng14.uniform(-1, 1, size=(2, 8)), "U": rng14.uniform(-1, 1, size=(2, 8)),
     "b": rng14.uniform(-0.5, 0.5, size=8), "V": rng14.uniform(-1, 1, size=(2, 3))},
    None)


def lstm_tuple(v):
    h = torch.zeros(3, 2)
    c = torch.zeros(3, 2)
    xs = v["x"][:, 1::2, :]
    for t in range(2):
        h, c = torch.lstm_cell(xs[:, t, :], (h, c), v["W"].T, v["U"].T, v["b"], torch.zeros(8))
    both = torch.cat([torch.cat([h, c], dim=0), h * c], dim=0)
    logits = h @ v["V"]
    return {"probs": F.softmax(logits, dim=-1)}, F.cross_entropy(logits, v["y"]) + 0.1 * torch.sum(both * both)


CASES[-1] = CASES[-1][:5] + (lstm_tuple,)
# 7. Convolutions and poolings with strides, padding and dilation, odd sizes, a batch of two.
case("conv_pool", """
model ConvPool {
  dim B
  input grad x : f64[B, 2, 7, 6]
  input y : i32[B]
  param K1 : f64[3, 2, 3, 3] = zeros
  param c1 : f64[3, 1, 1]    = zeros
  param K2 : f64[4, 3, 2, 3] = zeros
  param W  : f64[48, 3]      = zeros
  h = tanh(conv2d(x, K1, stride=[1, 2], padding=[2, 1], dilation=[2, 1]) + c1)  // [B, 3, 7, 3]
  p = max_pool2d(h, [3, 2], stride=[2, 1], padding=1)                          // [B, 3, 4, 4]
  q = conv2d(p, K2, stride=2, padding=1)                                       // [B, 4, 3, 2]
  output a = avg_pool2d(q, 2, stride=1, padding=1)                             // [B, 4, 4, 3]
  loss l = mean(cross_entropy(reshape(a, [B, 48]) @ W, y))
}
""", {"B": 2},
    {"x": rand(2, 2, 7, 6), "y": np.array([2, 0])},
    {"K1": rand(3, 2, 3, 3), "c1": rand(3, 1, 1), "K2": rand(4, 3, 2, 3), "W": rand(48, 3)},
    None)


def conv_pool(v):
    h = torch.tanh(F.conv2d(v["x"], v["K1"], stride=(1, 2), padding=(2, 1), dilation=(2, 1)) + v["c1"])
    p = F.max_pool2d(h, (3, 2), stride=(2, 1), padding=1)
    q = F.conv2d(p, v["K2"], stride=2, padding=1)
    a = F.avg_pool2d(q, 2, stride=1, padding=1)
    return {"a": a}, F.cross_entropy(torch.reshape(a, (2, 48)) @ v["W"], v["y"])


CASES[-1] = CASES[-1][:5] + (conv_pool,)

# 8. Pooling over many ties (values 0, 1, 2): the gradient of a tie goes to the first maximal element in
#    row-major window order; padding is never the maximum; avg_pool2d counts the padded zeros.
case("pool_ties", """
model PoolTies {
  input grad x : f64[1, 2, 5, 5]
  input g : f64[1, 2, 4, 4]
  input k : f64[1, 2, 3, 3]
  loss l = sum(max_pool2d(x, 2, stride=1) * g) + sum(max_pool2d(x - 2, 3, stride=2, padding=1) * k)
           + sum(avg_pool2d(x, 3, stride=2, padding=1) * k)
}
""", {},
    {"x": rng.integers(0, 3, size=(1, 2, 5, 5)).astype(np.float64), "g": rand(1, 2, 4, 4), "k": rand(1, 2, 3, 3)},
    {},
    lambda v: ({}, torch.sum(F.max_pool2d(v["x"], 2, stride=1) * v["g"])
               + torch.sum(F.max_pool2d(v["x"] - 2, 3, stride=2, padding=1) * v["k"])
               + torch.sum(F.avg_pool2d(v["x"], 3, stride=2, padding=1) * v["k"])))

# 9. take as an embedding: repeated indices (their gradients add up), a table of rank 3, a scalar index.
case("take", """
model Take {
  dim B
  input t : i32[B, 4]
  input y : i32[B]
  input s : i32[]
  param E : f64[5, 3]    = zeros
  param T : f64[5, 2, 2] = zeros
  param W : f64[12, 2]   = zeros
  e = take(E, t)                                            // [B, 4, 3]
  output r = take(T, t) * take(T, s)                        // [B, 4, 2, 2]
  loss l = mean(cross_entropy(reshape(e, [B, 12]) @ W, y)) + sum(r * r) + sum(take(E, y))
}
""", {"B": 2},
    {"t": np.array([[1, 4, 1, 0], [4, 4, 2, 1]]), "y": np.array([1, 0]), "s": np.array(3)},
    {"E": rand(5, 3), "T": rand(5, 2, 2), "W": rand(12, 2)},
    lambda v: (lambda r: ({"r": r}, F.cross_entropy(torch.reshape(v["E"][v["t"]], (2, 12)) @ v["W"], v["y"])
                          + torch.sum(r * r) + torch.sum(v["E"][v["y"]])))(v["T"][v["t"]] * v["T"][v["s"]]))


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, source, dims, inputs, params, fn in CASES:
        values = {}
        grads_for = []
        for k, a in inputs.items():
            if a.dtype.kind == "i":
                values[k] = torch.tensor(a, dtype=torch.long)
            else:
                values[k] = torch.tensor(a, requires_grad=("input grad " + k) in source)
                if values[k].requires_grad:
                    grads_for.append(k)
        for k, a in params.items():
            values[k] = torch.tensor(a, requires_grad=True)
            grads_for.insert(len([g for g in grads_for if g in params]), k)
        outputs, loss = fn(values)
        loss.backward()
        record = {
            "torch": torch.__version__,
            "model": source.strip() + "\n",
            "dims": dims,
            "inputs": {k: a.tolist() for k, a in inputs.items()},
            "params": {k: a.tolist() for k, a in params.items()},
            "loss": loss.item(),
            "outputs": {k: o.detach().tolist() for k, o in outputs.items()},
            "gradients": {k: values[k].grad.tolist() for k in list(params) + [i for i in inputs if i in grads_for]},
        }
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(record, f, indent=1)
            f.write("\n")
        print(name, "loss", loss.item())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
