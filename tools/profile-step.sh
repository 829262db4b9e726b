#!/usr/bin/env bash
# Where the time of a training step goes: runs `./adjoint bench` under Java Flight Recorder and sorts
# the execution samples of the benchmark thread by their top frame into kernels (matrix products,
# the rest of the runtime), generated code, JDK math and the rest.
# The recording starts DELAY seconds (default 40) after the JVM, so that warm-up is left out, and the
# benchmark measures long enough to give it 15 seconds of steps.
# Usage: [DELAY=40] tools/profile-step.sh FILE.model [bench options...]
#   e.g. tools/profile-step.sh bench/models/mlp_b.model --dims B=128
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jfr="${TMPDIR:-/tmp}/adjoint-profile-$$.jfr"
delay="${DELAY:-40}"
ADJOINT_JAVA_OPTS="${ADJOINT_JAVA_OPTS:-} -XX:StartFlightRecording=delay=${delay}s,filename=$jfr,settings=profile" \
    "$root/adjoint" bench "$@" --seconds "$((delay + 15))" 2>/dev/null | grep '^{'
# Java code is sampled every 10 ms (jdk.ExecutionSample), native code every 20 ms
# (jdk.NativeMethodSample: StrictMath.tanh on JDK 17, for one): native samples count twice.
jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 3 "$jfr" | /usr/bin/python3 -c '
import re, sys, collections
text = sys.stdin.read()
cats = collections.Counter()
for block in re.split(r"(?=jdk\.(?:ExecutionSample|NativeMethodSample) \{)", text)[1:]:
    if "\"main\"" not in block:
        continue
    weight = 2 if block.startswith("jdk.NativeMethodSample") else 1
    frames = re.findall(r"^\s+([\w.$<>]+)\(", block, re.M)
    if not frames:
        continue
    top = frames[0]
    if re.search(r"\.(VectorGemm|ScalarGemm|GemmScratch|MatMul)\.", top):
        c = "matrix products (MatMul)"
    elif re.search(r"\.Transpose\.", top):
        c = "transposes (Transpose)"
    elif re.search(r"\.(VectorMath|ScalarKernels|FastMath|ArrayMath)\.", top):
        c = "elementwise kernels (FastMath, ArrayMath)"
    elif re.search(r"dev\.adjoint\.runtime\.optim\.", top):
        c = "optimizer update"
    elif top.startswith("jdk.incubator.vector.") or top.startswith("jdk.internal.vm.vector."):
        c = "Vector API not compiled (boxed vectors)"
    elif re.search(r"dev\.adjoint\.runtime\.", top):
        c = "other runtime kernels"
    elif top.startswith("adjoint.generated."):
        c = "generated code"
    elif re.search(r"^java\.lang\.(StrictMath|Math|FdLibm)", top):
        c = "JDK math (Math.tanh, exp, ...)"
    elif top.startswith("dev.adjoint.cli."):
        c = "benchmark loop"
    else:
        c = "other (JDK, allocation)"
    cats[c] += weight
total = sum(cats.values())
for c, n in cats.most_common():
    print(f"{100 * n / total:5.1f} %  {c}")
print(f"({total} samples of the benchmark thread, native ones counted twice)")
'
rm -f "$jfr"
