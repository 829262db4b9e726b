#!/usr/bin/env bash
# A/B of two (or more) builds of the command line on one model: alternates `bench` runs of each jar, a fresh JVM
# per run, and prints one line per run (steps/s, forward and step ms, bytes per step, time to steady state).
# Build each jar at its commit (`mvn -B -o -q -pl cli -am package -DskipTests`, then copy
# cli/target/adjoint-cli.jar away).
# Usage: JARS="a.jar b.jar" tools/bench/ab-bench.sh MODEL DIMS ROUNDS SECONDS
# e.g.   JARS="/tmp/loops.jar /tmp/straight.jar" tools/bench/ab-bench.sh tools/bench/deep_tanh_256.model B=32 3 5
set -euo pipefail
model=$1; dims=$2; rounds=$3; secs=$4
for r in $(seq "$rounds"); do
    for jar in ${JARS:?set JARS to the jars to compare}; do
        printf '%s load=%s ' "$(basename "$jar")" "$(cut -d' ' -f1 /proc/loadavg)"
        java --add-modules jdk.incubator.vector -jar "$jar" bench "$model" --dims "$dims" --seconds "$secs" 2>/dev/null \
            | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print('steps/s', d['steps_per_s'], 'fwd', d['forward_ms'], 'step', d['step_ms'], 'alloc', d['alloc_bytes_per_step'], 'steady_s', d['time_to_steady_s'], 'wsteps', d['warmup_steps'])"
    done
done
