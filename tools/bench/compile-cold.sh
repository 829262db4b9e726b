#!/usr/bin/env bash
# Cold compiles of one model, as a user runs them (BENCHMARKS.md, "Compile cost"): each run is a new JVM that
# compiles the model to Java source (no javac). Alternates `./adjoint compile` (the launcher's settings for
# one-shot commands: the JIT's quick tier, the serial collector, the class-data archive) with the same jar
# under the JVM's default settings, and prints each run's wall-clock and CPU time (user + system, all
# threads) and the medians.
# Usage: tools/bench/compile-cold.sh [runs=5] [model=tools/bench/deep_tanh_10k.model]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
runs="${1:-5}"
model="${2:-tools/bench/deep_tanh_10k.model}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
./adjoint --version >/dev/null 2>&1          # builds the jar and the class-data archive if stale
declare -A wall cpu
for r in $(seq "$runs"); do
    for how in launcher defaults; do
        if [ "$how" = launcher ]; then
            cmd=(./adjoint compile "$model" -d "$out")
        else
            cmd=(java --add-modules jdk.incubator.vector -jar cli/target/adjoint-cli.jar compile "$model" -d "$out")
        fi
        /usr/bin/time -o "$out/time" -f '%e %U %S' "${cmd[@]}" >/dev/null 2>&1
        t="$(tail -1 "$out/time")"
        read -r w u s <<<"$t"
        c="$(echo "$u + $s" | bc -l)"
        printf 'run %d  %-9s wall %5.2f s  cpu %5.2f s\n' "$r" "$how" "$w" "$c"
        wall[$how]="${wall[$how]:-} $w"
        cpu[$how]="${cpu[$how]:-} $c"
    done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for how in launcher defaults; do
    printf 'median %-9s wall %s s  cpu %s s\n' "$how" "$(echo "${wall[$how]}" | median)" "$(echo "${cpu[$how]}" | median)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
