#!/usr/bin/env bash
# Steps/s and bytes per training step, before and after, in one run (BENCHMARKS.md, "Memory plan and fused loops").
#
#   tools/bench/step-bench.sh OLD_CHECKOUT NEW_CHECKOUT [ROUNDS]
#
# Each checkout must be built (mvn -B -o -q -DskipTests -pl compiler -am package). For every model the old and
# the new build are measured in turn, in separate JVMs, with tools/bench/StepBench.java: the old through
# gradient(), the new through step() (the allocation-free path) and gradient() (fresh copies, the casual path).
set -euo pipefail
old=$1; new=$2; rounds=${3:-11}
here=$(cd "$(dirname "$0")" && pwd)
m2=${M2_REPO:-$HOME/.m2/repository}
libs=$m2/org/antlr/antlr4-runtime/4.13.2/antlr4-runtime-4.13.2.jar:$m2/com/palantir/javapoet/javapoet/0.22.0/javapoet-0.22.0.jar
cp_of() { echo "$1/compiler/target/classes:$1/grammar/target/classes:$1/runtime/target/classes:$libs"; }
run() { java -cp "$(cp_of "$1")" "$here/StepBench.java" "${@:2}" --rounds "$rounds"; }
root=$(cd "$here/../.." && pwd)
while read -r model dims; do
  [ -z "$model" ] && continue
  echo "old $(run "$old" "$root/$model" $dims --api gradient)"
  echo "new $(run "$new" "$root/$model" $dims --api step)"
  echo "new $(run "$new" "$root/$model" $dims --api gradient)"
done <<'LIST'
samples/models/digits.model B=32
samples/models/digits_conv.model B=32
samples/models/digits_deep_residual.model B=32
samples/models/rosenbrock.model
bench/models/mlp_a.model B=32
bench/models/mlp_b.model B=128
bench/models/tanh_c.model B=64
bench/models/rosenbrock_d.model
LIST
