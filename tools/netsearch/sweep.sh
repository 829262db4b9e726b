#!/bin/bash
# Runs every config line of a file ("MODEL [train options]") over seeds, in one JVM, and prints one line per
# config: PASS/FAIL, the options, min and max held-out accuracy (--split last), the first seed's training time
# (warm JVM: not comparable with a fresh ./adjoint train), and each seed's accuracy.
# Usage (from the repository root, after ./adjoint has built cli/target/adjoint-cli.jar):
#   tools/netsearch/sweep.sh CONFIGS [FIRST_SEED [SEEDS [nostop]]]
# Default: seeds 0-4, stopping a config at its first seed below 97 %.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/cli/target/adjoint-cli.jar"
cls="$(mktemp -d)"
javac -cp "$jar" -d "$cls" "$root/tools/netsearch/Sweep.java"
java --add-modules jdk.incubator.vector -Dfirst="${2:-0}" -Dn="${3:-5}" -Dnostop="$([ "${4:-}" = nostop ] && echo true || echo false)" \
    -Ddata="$root/samples/data/digits.csv.gz" -cp "$cls:$jar" Sweep "$1" 2>/dev/null
rm -rf "$cls"
