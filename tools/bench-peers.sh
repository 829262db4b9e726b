#!/usr/bin/env bash
# Adjoint against its peers on the four benchmark configurations (bench/models, as in the shared
# peer benchmarks' README), all in one session, interleaved config by config and round by round so
# that load from other processes falls on every system alike:
#   ./adjoint bench (Vector API kernels, then the scalar ones), PyTorch and NumPy (the shared
#   torch_bench.py / numpy_bench.py, OpenBLAS with its AVX-512 kernels), and for (d) a hand-written
#   Java gradient (bench/.../RosenbrockByHand).
# Then the JMH matrix-product benchmark (512x512x512 f32, both kernel implementations) and the
# machine's FMA and SGEMM peak. Writes the raw JSON lines to bench/results/, and the tables (medians
# over the rounds, ratios, the machine, this command) between the markers of BENCHMARKS.md.
#
# Usage: tools/bench-peers.sh [rounds=3] [seconds=10] [threads=1]
# Needs: python3-torch python3-numpy libopenblas0-pthread gcc (Debian); PEERS_DIR (default: the
# shared bench directory next to the repository, else /work/shared/bench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-3}"
seconds="${2:-10}"
threads="${3:-1}"
peers="${PEERS_DIR:-}"
for d in "$root/../shared/bench" "$root/../../shared/bench" /work/shared/bench; do
    [ -z "$peers" ] && [ -f "$d/torch_bench.py" ] && peers="$(cd "$d" && pwd)"
done
[ -n "$peers" ] || { echo "bench-peers: set PEERS_DIR to the directory of torch_bench.py" >&2; exit 2; }

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p bench/results
raw="bench/results/peers-$stamp.jsonl"
log="bench/results/peers-$stamp.log"
: >"$raw"
echo "bench-peers: raw results in $raw, log in $log" >&2

./adjoint --version >/dev/null 2>>"$log"        # builds cli/target/adjoint-cli.jar if it is stale
mvn -B -q -pl bench -am package -DskipTests >>"$log" 2>&1

export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" OPENBLAS_CORETYPE=SkylakeX
record() {  # record KEY=VALUE... < one JSON line  -> appends it to $raw with the extra keys
    /usr/bin/python3 -c '
import json, sys
extra = dict(a.split("=", 1) for a in sys.argv[1:])
for line in sys.stdin:
    line = line.strip()
    if line.startswith("{"):
        d = json.loads(line); d.update(extra); print(json.dumps(d))' "$@" >>"$raw"
}

declare -A model=([a]=mlp_a [b]=mlp_b [c]=tanh_c [d]=rosenbrock_d)
declare -A dims=([a]="--dims B=32" [b]="--dims B=128" [c]="--dims B=64" [d]="")
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
    for c in a b c d; do
        echo "bench-peers: round $r/$rounds, config ($c)" >&2
        # shellcheck disable=SC2086
        ./adjoint bench "bench/models/${model[$c]}.model" ${dims[$c]} --threads "$threads" --seconds "$seconds" \
            2>>"$log" | record system=adjoint-vector cfg="$c" round="$r"
        # shellcheck disable=SC2086
        ADJOINT_JAVA_OPTS=-Dadjoint.kernels=scalar ./adjoint bench "bench/models/${model[$c]}.model" ${dims[$c]} \
            --threads "$threads" --seconds "$seconds" 2>>"$log" | record system=adjoint-scalar cfg="$c" round="$r"
        (cd "$peers" && BLAS_TAG=openblas-SkylakeX /usr/bin/python3 torch_bench.py "$threads" "$c" 200 1) 2>>"$log" \
            | record round="$r"
        if [ "$c" != d ]; then
            (cd "$peers" && BLAS_TAG=openblas-SkylakeX /usr/bin/python3 numpy_bench.py "$threads" "$c" 200 1) \
                2>>"$log" | record round="$r"
        else
            java -cp bench/target/benchmarks.jar dev.adjoint.bench.RosenbrockByHand "$seconds" 2>>"$log" \
                | record round="$r"
        fi
    done
done

echo "bench-peers: JMH MatMulBench 512x512x512 f32, both implementations" >&2
java -jar bench/target/benchmarks.jar 'MatMulBench' -p shape=nn:512x512x512 -rf json \
    -rff "bench/results/jmh-$stamp.json" >>"$log" 2>&1
echo "bench-peers: machine peak (FMA, SGEMM)" >&2
peak="bench/results/peak-$stamp.txt"
gcc -O3 -march=native -fopenmp "$peers/fma_peak.c" -o "/tmp/fma_peak.$$" && "/tmp/fma_peak.$$" 100000000 1 >"$peak"
rm -f "/tmp/fma_peak.$$"
/usr/bin/python3 "$peers/gemm_peak.py" 2048 5 >>"$peak"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 tools/bench_table.py --raw "$raw" --jmh "bench/results/jmh-$stamp.json" --peak "$peak" \
    --command "tools/bench-peers.sh $rounds $seconds $threads" --load "$load_start" --load-end "$load_end" \
    --out BENCHMARKS.md
echo "bench-peers: tables written to BENCHMARKS.md" >&2
