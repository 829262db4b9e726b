package dev.adjoint.compiler.emit;

import static dev.adjoint.compiler.emit.Harness.check;
import static dev.adjoint.compiler.emit.Harness.dims;
import static dev.adjoint.compiler.emit.Harness.model;

import org.junit.jupiter.api.Test;

/** One small model per op family: generated values and gradients agree with the reference interpreter. */
class OpsEmitTest {
    @Test
    void elementwise() {
        check(model("""
                model Elementwise {
                  dim B
                  input grad x : f64[B, 3]
                  param p : f64[3] = uniform(0.5, 1.5)
                  a = exp(x) + log(p) + log1p(p) + sqrt(p) + square(x) + abs(x) + sin(x) + cos(x)
                  c = tanh(x) + sigmoid(x) + relu(x) + leaky_relu(x, alpha=0.1) + softplus(x) + gelu(x) - x
                  output o1 = a
                  output o2 = c
                  loss l = sum(a * c) + mean(pow(p, 2.5)) + sum(max(x, 0.2) + min(x, p))
                      + sum(where(x > 0, x, p * x)) + sum(x / p) + sum(x ^ 2) + sum(-x * 3)
                }
                """), dims("B", 4), -1, 1, 1);
    }

    @Test
    void reductions() {
        check(model("""
                model Reductions {
                  dim B
                  input grad x : f64[B, 3, 2]
                  param p : f64[3, 2] = normal(0, 1)
                  y = x * p
                  output s1 = sum(y, axis=1)
                  output s2 = mean(y, axis=[0, 2], keepdims=true)
                  output s3 = max(y, axis=-1)
                  output s4 = logsumexp(y, axis=1)
                  loss l = sum(s1) + sum(s2 * 2) + sum(s3 * s3) + sum(s4) + max(y) + logsumexp(y) + mean(y)
                }
                """), dims("B", 3), -1, 1, 1);
    }

    @Test
    void shapes() {
        check(model("""
                model Shapes {
                  dim B
                  input grad x : f64[B, 4]
                  input y : i32[B]
                  param p : f64[4, 3] = normal(0, 1)
                  r = reshape(x, [-1, 2, 2])
                  t = transpose(r, [2, 0, 1])
                  c = concat([x, x * 2], axis=1)
                  s = c[:, 1:-2]
                  output o1 = t
                  output o2 = s
                  output o3 = p.T
                  output o4 = one_hot(y, 4, dtype=f64)
                  loss l = sum(t * t) + sum(s * s) + sum(p.T @ p) + sum(p[1:, :2]) + sum(o4 * x)
                }
                """), dims("B", 3), -1, 1, 4);
    }

    @Test
    void neural() {
        check(model("""
                model Neural {
                  dim B
                  input grad x : f64[B, 5]
                  input y : i32[B]
                  input t : f64[B, 5]
                  param g : f64[5] = uniform(0.5, 1.5)
                  param b : f64[5] = normal(0, 0.1)
                  output sm = softmax(x * g, axis=-1)
                  output ls = log_softmax(x + b, axis=0)
                  output ln = layer_norm(x, g, b)
                  output bn = batch_norm(x * 3, g, b)
                  loss l = mean(cross_entropy(x * g, y)) + mse(x * g, t) + sum(sm * t) + sum(ls * t)
                      + sum(ln * t) + sum(bn * t)
                }
                """), dims("B", 4), -1, 1, 5);
    }

    @Test
    void matmulRanks() {
        check(model("""
                model Products {
                  dim B
                  input grad v : f64[3]
                  input grad a : f64[B, 2, 3]
                  param M : f64[3, 4] = normal(0, 1)
                  param N : f64[4, 3] = normal(0, 1)
                  param c : f64[B, 3, 2] = normal(0, 1)
                  output vm = v @ M
                  output mv = N @ v
                  output vv = v @ v
                  output bm = a @ M
                  loss l = sum(vm) + sum(mv * mv) + vv + sum(bm * bm)
                }
                """.replace("param c : f64[B, 3, 2] = normal(0, 1)\n", "")), dims("B", 2), -1, 1, 1);
        check(model("""
                model Batched {
                  input grad a : f64[2, 2, 3]
                  input grad b : f64[2, 3, 4]
                  loss l = sum((a @ b) ^ 2)
                }
                """), dims(), -1, 1, 1);
    }

    @Test
    void mixedPrecisionAndCasts() {
        check(model("""
                model Casts {
                  dim B
                  input x : f32[B, 3]
                  input k : i32[B, 3]
                  param w : f32[3] = normal(0, 1)
                  z = cast(x * w, f64) + cast(k, f64)
                  output o = cast(z, f32)
                  loss l = cast(sum(z * z), f32)
                }
                """), dims("B", 2), -1, 1, 5);
    }

    @Test
    void parameterNamesThatCollideWithGeneratedNames() {
        check(model("""
                model Collide {
                  dim B
                  input x : f64[B, 3]
                  param mean : f64[3] = ones
                  param rstd : f64[3] = zeros
                  param w : f64[3] = normal(0, 1)
                  param forward0 : f64[3] = normal(0, 1)
                  param register0 : f64[3] = normal(0, 1)
                  param bcast5_1 : f64[3] = normal(0, 1)
                  param params : f64[3] = normal(0, 1)
                  y = layer_norm(x * w + forward0, mean, rstd) * register0 + bcast5_1 * params
                  loss = sum(y * y)
                }
                """), dims("B", 2), -1, 1, 1);
    }

    @Test
    void javaKeywordsAndParamArrays() {
        check(model("""
                model class {
                  const L = 3
                  input int : f64[2]
                  param new[L] : f64[2] = normal(0, 1)
                  param W : f64[2] = ones
                  param unused : f64[2, 2] = zeros
                  h = int
                  for i in 0..L {
                    h = tanh(h * new[i])
                  }
                  output static = h
                  loss = sum(h * W)
                }
                """), dims(), -1, 1, 1);
    }
}
