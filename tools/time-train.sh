#!/usr/bin/env bash
# End-to-end timing of the convolutional digits sample, as quoted in BENCHMARKS.md:
#   adjoint train samples/models/digits_conv.model --data samples/data/digits.csv.gz --no-plots
# Usage: tools/time-train.sh [runs] [jar...]
# With no jar, times ./adjoint (building cli/target/adjoint-cli.jar first if it is stale). With
# jars, runs each of them with `java -jar`, interleaved round by round (jar1, jar2, jar1, jar2, ...), so
# that load from other processes falls on all alike. Prints each wall time and the median per jar.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-3}"
shift || true
jars=("$@")
if [ ${#jars[@]} -eq 0 ]; then
    ./adjoint --help >/dev/null               # builds cli/target/adjoint-cli.jar if stale
    jars=("$root/cli/target/adjoint-cli.jar")
fi
declare -A times
for r in $(seq "$runs"); do
    for jar in "${jars[@]}"; do
        log="${TMPDIR:-/tmp}/adjoint-time-train.$(basename "$jar" .jar).$r.log"
        start=$(date +%s.%N)
        java -jar "$jar" train samples/models/digits_conv.model --data samples/data/digits.csv.gz --no-plots \
            >"$log" 2>&1
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        printf 'run %d  %-40s %7.2f s  (%s)\n' "$r" "$(basename "$jar")" "$t" "$(grep -m1 'epoch 30/30' "$log" || true)"
        times[$jar]="${times[$jar]:-} $t"
    done
done
for jar in "${jars[@]}"; do
    printf '%s\n' ${times[$jar]} | sort -g | awk -v j="$(basename "$jar")" \
        '{v[NR]=$1} END {printf "median %-40s %7.2f s over %d runs\n", j, (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2), NR}'
done
