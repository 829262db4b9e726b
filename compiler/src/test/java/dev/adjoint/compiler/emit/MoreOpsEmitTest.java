package dev.adjoint.compiler.emit;

import static dev.adjoint.compiler.emit.Harness.check;
import static dev.adjoint.compiler.emit.Harness.dims;
import static dev.adjoint.compiler.emit.Harness.model;

import org.junit.jupiter.api.Test;

/**
 * The ops of issue 14 in generated code: values and gradients agree with the reference interpreter, in f64 and
 * f32, with a symbolic batch of odd size, and for i32 where an op takes one.
 */
class MoreOpsEmitTest {
    @Test
    void reductions() {
        check(model("""
                model More {
                  dim B
                  input grad x : f64[B, 3, 5]
                  input k : i32[B, 3]
                  param p : f64[3, 5] = uniform(0.5, 1.5)
                  y = x * p
                  output m1 = min(y, axis=1)
                  output m2 = min(y, axis=[0, 2], keepdims=true)
                  output p1 = prod(y, axis=-1)
                  output v1 = var(y, axis=[0, 2], keepdims=true)
                  output v2 = var(y, axis=1, correction=0)
                  output s1 = std(y, axis=-1)
                  output a1 = argmax(y, axis=1)
                  output a2 = argmax(y, keepdims=true)
                  output ki = min(k, axis=1) + prod(k, axis=1) + argmax(k)
                  loss l = sum(m1) + sum(m2 * 2) + sum(p1) + sum(v1) + sum(v2 * v2) + sum(s1) + min(y) + prod(p)
                      + var(y) + std(y, correction=2)
                }
                """), dims("B", 3), -1, 1, 4);
    }

    @Test
    void reductionsInF32() {
        check(model("""
                model More32 {
                  dim B
                  input grad x : f32[B, 5]
                  param p : f32[5] = uniform(0.5, 1.5)
                  y = x * p
                  output a = argmax(y)
                  loss l = sum(min(y, axis=0)) + sum(prod(y, axis=1)) + sum(var(y, axis=0)) + sum(std(y, axis=1))
                }
                """), dims("B", 5), -1, 1, 1);
    }

    @Test
    void stepSlicesConstructorsAndStopGradient() {
        check(model("""
                model Strided {
                  dim B
                  input grad x : f64[B, 7]
                  input k : i32[B, 7]
                  param w : f64[4] = normal(0, 1)
                  e = x[:, ::2] * w + x[:, 1::2][:, :2] @ eye(2, dtype=f64) @ full([2, 4], 0.5, dtype=f64)
                  output o1 = e
                  output o2 = k[:, 1:6:2]
                  output o3 = zeros([B, 2]) + ones([2]) + cast(arange(2), f32)
                  output o4 = stop_gradient(x)[:, 3::2]
                  loss l = sum(e * e) + sum(x[:, ::3] * stop_gradient(x[:, ::3]))
                }
                """), dims("B", 5), -1, 1, 9);
    }

    @Test
    void concatAlongASymbolicAxisOfDifferentSizes() {
        check(model("""
                model Concat {
                  dim B
                  input grad a : f64[B, 2]
                  param w : f64[2] = normal(0, 1)
                  d = concat([a * w, sin(a)], axis=0)
                  c = concat([d, a, d], axis=0)
                  output o = c
                  loss l = sum(c * c * w)
                }
                """), dims("B", 3), -1, 1, 1);
    }

    @Test
    void tupleReturningFnInALoop() {
        check(model("""
                const H = 3
                fn cell(x, h, c, W, U, b) {
                  z = x @ W + h @ U + b
                  c2 = sigmoid(z[:, H:2*H]) * c + sigmoid(z[:, 0:H]) * tanh(z[:, 2*H:3*H])
                  return sigmoid(z[:, 3*H:]) * tanh(c2), c2
                }
                model Lstm {
                  dim B
                  input x : f64[B, 4, 2]
                  input y : i32[B]
                  param W : f64[2, 4*H] = normal(0, 0.5)
                  param U : f64[H, 4*H] = normal(0, 0.5)
                  param b : f64[4*H] = zeros
                  param V : f64[H, 3] = normal(0, 0.5)
                  h = zeros([B, H], dtype=f64)
                  c = zeros([B, H], dtype=f64)
                  for t in 0..4 {
                    h, c = cell(x[:, t, :], h, c, W, U, b)
                  }
                  output probs = softmax(h @ V)
                  loss l = mean(cross_entropy(h @ V, y))
                }
                """), dims("B", 3), -1, 1, 3);
    }
}
