#!/usr/bin/env bash
# End-to-end timing of the convolutional digits sample, as quoted in BENCHMARKS.md and docs/training.md:
#   adjoint train samples/models/digits_conv.model --data samples/data/digits.csv.gz --no-plots $TRAIN_OPTS
# Usage: [MODELS="a.model b.model"] [TRAIN_OPTS="--split last"] tools/time-train.sh [runs] [jar...]
# With no jar, times the command line's jar (building cli/target/adjoint-cli.jar first if it is stale). With
# jars, runs each of them, interleaved round by round (jar1, jar2, jar1, jar2, ...; within a jar, each of
# MODELS in turn), so that load from other processes falls on all alike. Every run is `java -jar` with the
# Vector API module, as ./adjoint runs `train`. Prints the load average, the wall time, the training time
# (what `adjoint train` prints after the last epoch) and the last epoch's line of each run, then the
# medians per jar and model.
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
read -r -a models <<<"${MODELS:-samples/models/digits_conv.model}"
read -r -a opts <<<"${TRAIN_OPTS:-}"
declare -A walls trains
for r in $(seq "$runs"); do
    for jar in "${jars[@]}"; do
        for model in "${models[@]}"; do
            key="$(basename "$jar") $(basename "$model")"
            log="${TMPDIR:-/tmp}/adjoint-time-train.$$.log"
            load=$(cut -d' ' -f1 /proc/loadavg)
            start=$(date +%s.%N)
            java --add-modules jdk.incubator.vector -jar "$jar" train "$model" --data samples/data/digits.csv.gz \
                --no-plots --out "${TMPDIR:-/tmp}/adjoint-time-train.$$" ${opts[@]+"${opts[@]}"} >"$log" 2>&1
            end=$(date +%s.%N)
            wall=$(echo "$end - $start" | bc -l)
            last=$(grep -E 'epoch +[0-9]+/[0-9]+ ' "$log" | tail -1 || true)
            train=$(sed -n 's/.*(\([0-9.]*\) s)$/\1/p' <<<"$last")
            printf 'run %d  %-45s load %5s  wall %6.2f s  training %4s s  (%s)\n' "$r" "$key" "$load" "$wall" \
                "${train:-?}" "$last"
            walls[$key]="${walls[$key]:-} $wall"
            trains[$key]="${trains[$key]:-} ${train:-nan}"
        done
    done
done
rm -rf "${TMPDIR:-/tmp}/adjoint-time-train.$$" "${TMPDIR:-/tmp}/adjoint-time-train.$$.log"
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
for jar in "${jars[@]}"; do
    for model in "${models[@]}"; do
        key="$(basename "$jar") $(basename "$model")"
        # shellcheck disable=SC2086
        printf 'median %-45s wall %6.2f s  training %5.2f s  over %d runs\n' "$key" "$(median ${walls[$key]})" \
            "$(median ${trains[$key]})" "$runs"
    done
done
