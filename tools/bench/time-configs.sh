#!/usr/bin/env bash
# Training time of several configurations, interleaved round by round so that load from other processes falls on
# all alike, to the millisecond: the seconds come from the epoch table of each run's checkpoint.safetensors (its
# `extra.epochs` rows hold the elapsed time at the end of each epoch, as `adjoint train` prints it to 0.1 s).
# Usage: tools/bench/time-configs.sh ROUNDS CONFIGS
#   CONFIGS: a file of lines `LABEL JAR MODEL [train options...]`, e.g.
#     slices cli/target/adjoint-cli.jar tools/bench/digits_conv_slices.model
#     sample cli/target/adjoint-cli.jar samples/models/digits_conv.model
#     sample-e20 cli/target/adjoint-cli.jar samples/models/digits_conv.model --epochs 20 --lr 2e-2
# Every run: `java --add-modules jdk.incubator.vector -jar JAR train MODEL --data samples/data/digits.csv.gz
# --no-plots --split last [options]`. Prints each run (load, last accuracy, first-epoch and whole training
# seconds), then per label the median and, for every other label, in how many rounds it was faster.
# Needs python3 (for the safetensors header).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rounds="$1"
configs="$2"
out="${TMPDIR:-/tmp}/adjoint-time-configs.$$"
results="$out.results"
: >"$results"
seconds() {
    python3 - "$1" <<'PY'
import json, struct, sys
b = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', b[:8])[0]
e = json.loads(b[8:8 + n])['extra.epochs']
s, t = e['data_offsets']
rows, cols = e['shape']
d = struct.unpack('<%dd' % (rows * cols), b[8 + n + s:8 + n + t])
print('%.3f %.3f' % (d[6], d[(rows - 1) * cols + 6]))   # column 6: elapsed seconds
PY
}
for r in $(seq "$rounds"); do
    while read -r label jar model opts; do
        [ -z "$label" ] && continue
        rm -rf "$out"
        load=$(cut -d' ' -f1 /proc/loadavg)
        # shellcheck disable=SC2086
        java --add-modules jdk.incubator.vector -jar "$jar" train "$model" --data samples/data/digits.csv.gz \
            --no-plots --split last --out "$out" $opts >"$out.log" 2>&1 </dev/null
        acc=$(grep -E '^epoch' "$out.log" | tail -1 | sed 's/.*accuracy \([0-9.]*\) %.*/\1/')
        read -r first total < <(seconds "$out/checkpoint.safetensors")
        printf 'round %2d  %-12s load %5s  accuracy %s %%  first epoch %s s  training %s s\n' "$r" "$label" "$load" \
            "$acc" "$first" "$total"
        echo "$r $label $total" >>"$results"
    done <"$configs"
done
python3 - "$results" <<'PY'
import collections, statistics, sys
t = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    r, label, total = line.split()
    t[label][r] = float(total)
for a in t:
    faster = ', '.join('than %s in %d of %d rounds' % (b, sum(t[a][r] < t[b][r] for r in t[a] if r in t[b]), len(t[a]))
                       for b in t if b != a)
    print('%-12s median %.3f s  faster %s' % (a, statistics.median(t[a].values()), faster))
PY
rm -rf "$out" "$out.log" "$results"
