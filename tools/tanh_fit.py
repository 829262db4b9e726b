#!/usr/bin/env python3
"""The coefficients of FastMath.tanh(float): a Remez exchange, in mpmath at 40 digits.

tanh(y)/y ~ P(s)/Q(s), s = y^2, P of degree 3 and Q of degree 2 with P(0) = Q(0) = 1, over
0 <= y <= 4.6 (x = 2y up to the clamp 9.2), minimizing the largest relative error weighted by
sech(2y) = 1/cosh x: the factor by which an error in u = 2 tanh(x/2) reaches tanh x = u/(1 + u^2/4).
Prints the weighted error reached and the f32 constants TE0..TE2, TQ1, TQ2 of FastMath, in the
variable ns = -x^2: u = x + x*ns*E(ns)/Q(ns), E = (P - Q)/s rescaled from y to x.
Needs mpmath (python3 -m pip install mpmath, or apt-get install python3-mpmath) and numpy.

    python3 tools/tanh_fit.py            # takes a few seconds
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40
NP, NQ, Y_MAX = 3, 2, mp.mpf("4.6")


def f(s):
    if s == 0:
        return mp.mpf(1)
    y = mp.sqrt(s)
    return mp.tanh(y) / y


def weight(s):
    return mp.sech(2 * mp.sqrt(s))


def poly(c, s):
    r = mp.mpf(0)
    for ci in reversed(c):
        r = r * s + ci
    return r


def remez(na, nb, S, iters=30):
    n = na + nb + 1
    ref = [S * (1 - mp.cos(mp.pi * (i + 1) / n)) / 2 for i in range(n)]
    q_prev = lambda s: mp.mpf(1)
    for _ in range(iters):
        for _ in range(8):  # E enters with Q: iterate the linearized system
            A, rhs = mp.matrix(n, n), mp.matrix(n, 1)
            for i, s in enumerate(ref):
                fs = f(s)
                for j in range(1, na + 1):
                    A[i, j - 1] = s ** j
                for j in range(1, nb + 1):
                    A[i, na + j - 1] = -fs * s ** j
                A[i, n - 1] = -((-1) ** i) * fs * q_prev(s) / weight(s)
                rhs[i] = fs - 1
            sol = mp.lu_solve(A, rhs)
            P = [mp.mpf(1)] + [sol[j] for j in range(na)]
            Q = [mp.mpf(1)] + [sol[na + j] for j in range(nb)]
            E = sol[n - 1]
            q_prev = lambda s, Q=Q: poly(Q, s)
        grid = [S * (1 - mp.cos(mp.pi * k / 4000)) / 2 for k in range(1, 4001)]
        vals = [(poly(P, s) / (poly(Q, s) * f(s)) - 1) * weight(s) for s in grid]
        runs, cur = [], [0]
        for k in range(1, len(vals)):
            if (vals[k] >= 0) == (vals[cur[0]] >= 0):
                cur.append(k)
            else:
                runs.append(cur)
                cur = [k]
        runs.append(cur)
        ext = [max(r, key=lambda k: abs(vals[k])) for r in runs]
        while len(ext) > n:
            ext = ext[1:] if abs(vals[ext[0]]) < abs(vals[ext[-1]]) else ext[:-1]
        worst = max(abs(v) for v in vals)
        if len(ext) < n or abs(worst - abs(E)) < abs(E) * 1e-6:
            return P, Q, worst
        ref = [grid[k] for k in ext]
    return P, Q, worst


P, Q, worst = remez(NP, NQ, Y_MAX ** 2)
print("largest weighted relative error: %s (2^%.2f)" % (mp.nstr(worst, 6), float(mp.log(worst, 2))))
m = max(len(P), len(Q))
e_y = [(P[i] if i < len(P) else 0) - (Q[i] if i < len(Q) else 0) for i in range(1, m)]  # (P - Q)/s, in y^2
e_x = [float(e_y[k] / 4 ** (k + 1)) for k in range(len(e_y))]  # in x^2 = 4 y^2, times the 1/4 of x*s
q_x = [float(Q[k] / 4 ** k) for k in range(1, len(Q))]
# in ns = -x^2: E'(ns) = -E(-ns), Q'(ns) = Q(-ns)
names = [("TE%d" % k, -e_x[k] * (-1) ** k) for k in range(len(e_x))] + \
        [("TQ%d" % (k + 1), q_x[k] * (-1) ** (k + 1)) for k in range(len(q_x))]
for name, c in names:
    print("  static final float %s = %sf;" % (name, float(np.float32(c)).hex().replace("0000000p", "p")))
