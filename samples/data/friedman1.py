#!/usr/bin/env python3
"""Writes friedman1.csv: a small regression data set for samples/models/deep_residual.model.

Friedman's first benchmark function (J. H. Friedman, "Multivariate Adaptive Regression Splines",
The Annals of Statistics 19(1), 1991; also scikit-learn's make_friedman1):

    y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 + e,   e ~ N(0, 1)

with x1..x8 uniform on [0, 1]; x6, x7 and x8 do not enter y (the model must learn to ignore them).
The noise has a standard deviation of 1, so no model can reach a root mean squared error much
below 1.0 on new rows.

Only the Python standard library is used, with a fixed seed: running it again writes the same file.
    python3 samples/data/friedman1.py > samples/data/friedman1.csv
"""
import math
import random

ROWS = 1000
FEATURES = 8
SEED = 20261205


def main():
    rng = random.Random(SEED)
    print(",".join([f"x{i + 1}" for i in range(FEATURES)] + ["y"]))
    for _ in range(ROWS):
        x = [rng.random() for _ in range(FEATURES)]
        y = (10 * math.sin(math.pi * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2
             + 10 * x[3] + 5 * x[4] + rng.gauss(0.0, 1.0))
        print(",".join(f"{v:.4f}" for v in x + [y]))


if __name__ == "__main__":
    main()
