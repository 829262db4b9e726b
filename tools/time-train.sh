#!/usr/bin/env bash
# End-to-end timing of the convolutional digits sample, as quoted in BENCHMARKS.md:
# runs `./adjoint train samples/models/digits_conv.model --data samples/data/digits.csv.gz --no-plots`
# N times (default 3) after building the command line once, and prints each wall time and the median.
# Usage: tools/time-train.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-3}"
./adjoint --help >/dev/null                   # builds compiler/target/adjoint-cli.jar if stale
times=()
for r in $(seq "$runs"); do
    start=$(date +%s.%N)
    ./adjoint train samples/models/digits_conv.model --data samples/data/digits.csv.gz --no-plots \
        >"${TMPDIR:-/tmp}/adjoint-time-train.$r.log" 2>&1
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    printf 'run %d: %.2f s\n' "$r" "$t"
    times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -g | awk '{v[NR]=$1} END {printf "median: %.2f s over %d runs\n", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2), NR}'
