#!/usr/bin/env bash
# Steps per second of adjoint-spark on the digits sample, as quoted in BENCHMARKS.md: local[1] with one
# partition against local[2] with two, exact steps and --local-steps, interleaved round by round so that
# load from other processes falls on all alike. Each run trains samples/models/digits.model for
# EPOCHS epochs of 45 steps (batch 32) through Spark's own spark-submit class and prints the last
# epoch line, the entry point's "trained N steps in T s" line and the load average when it ended.
# Usage: tools/spark-bench.sh [runs] [epochs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-3}"
epochs="${2:-5}"
mvn -B -q -pl spark -am package -DskipTests
out="$(mktemp -d)"
for r in $(seq "$runs"); do
    for cores in 1 2; do
        for mode in exact local-steps; do
            extra=()
            [ "$mode" = local-steps ] && extra=(--local-steps)
            lines="$(java -cp "$(cat spark/target/spark-classpath.txt)" org.apache.spark.deploy.SparkSubmit \
                --master "local[$cores]" --conf spark.ui.enabled=false \
                --class dev.adjoint.spark.SparkTrain spark/target/adjoint-spark.jar \
                samples/models/digits.model --data samples/data/digits.csv.gz --partitions "$cores" \
                --epochs "$epochs" --out "$out" "${extra[@]}" 2>/dev/null | grep -E "^trained|^epoch +$epochs/")"
            echo "run $r  local[$cores]  $mode  load $(cut -d' ' -f1 /proc/loadavg) | $(echo "$lines" | tr '\n' ' ')"
        done
    done
done
rm -rf "$out"
