#!/usr/bin/env python3
"""Turns the raw results of tools/bench-peers.sh into the Markdown tables of BENCHMARKS.md (between the
markers <!-- bench-peers:begin --> and <!-- bench-peers:end -->, which it adds at the end if missing).
Medians over the rounds; ratios of medians. Standard library only."""
import argparse, datetime, json, os, platform, re, statistics, subprocess

MFLOP = {"a": 19.5, "b": 513.5, "c": 50.3}           # nominal, as in the shared RESULTS.md
TARGET = {"a": ("best peer", 1.1), "b": ("PyTorch", 1.0), "c": ("best peer", 1.5), "d": ("PyTorch", 20.0)}
NAMES = {"a": "(a) MLP 784-128-10, B=32", "b": "(b) MLP 784-512-512-10, B=128", "c": "(c) 32 tanh layers, width 64, B=64",
         "d": "(d) Rosenbrock n=1000, f64"}


def kind(system):
    if system.startswith("adjoint-"):
        return system
    if system.startswith("torch"):
        return "torch"
    if system.startswith("numpy"):
        return "numpy"
    return system


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=1):
    if v is None:
        return "–"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def machine():
    cpu = "?"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    flags = open("/proc/cpuinfo").read()
    avx512 = "AVX-512" if "avx512f" in flags else "no AVX-512"
    return f"{cpu}, {os.cpu_count()} cores, {avx512}; {java[0] if java else 'java ?'} ({java[1] if len(java) > 1 else ''})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--jmh")
    ap.add_argument("--peak")
    ap.add_argument("--command", required=True)
    ap.add_argument("--load", default="?")
    ap.add_argument("--load-end", default="?")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    rows = [json.loads(l) for l in open(a.raw) if l.strip()]
    by = {}
    versions = {}
    for r in rows:
        k = (kind(r["system"]), r["cfg"])
        by.setdefault(k, []).append(r)
        versions[kind(r["system"])] = r["system"]
    rounds = max((int(r.get("round", 1)) for r in rows), default=0)

    def sps(system, cfg):
        return med([r.get("steps_per_s") for r in by.get((system, cfg), [])])

    out = []
    out.append(f"Measured {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC with `{a.command}` ({rounds} rounds; each"
               " round runs every system on one configuration before the next). Machine: " + machine() + ". Load"
               f" average (1, 5, 15 min) {a.load} at the start, {a.load_end} at the end: the machine is shared with"
               " other jobs, so absolute numbers move between runs; compare the ratios within this run. All figures"
               " are medians over the rounds of each run's median; one thread everywhere. Peers: "
               + ", ".join(sorted(v for k, v in versions.items() if not k.startswith("adjoint"))) + ".")
    out.append("")
    out.append("Training steps per second (forward + loss + gradient of every parameter, no update):")
    out.append("")
    out.append("| configuration | Adjoint, Vector API | Adjoint, scalar | PyTorch | NumPy | Java by hand | Vector API ÷ best"
               " peer | Vector API ÷ PyTorch | target of issue 17 |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for c in "abcd":
        v, s, t, n, h = (sps("adjoint-vector", c), sps("adjoint-scalar", c), sps("torch", c), sps("numpy", c),
                         sps("java-by-hand", c))
        best = max([x for x in (t, n) if x], default=None)
        tname, tval = TARGET[c]
        ref = best if tname == "best peer" else t
        reached = "–" if v is None or ref is None else ("reached" if v / ref >= tval else "not reached")
        extra = f"; ÷ by hand {v / h:.2f} (target ≥ 0.9)" if c == "d" and v and h else ""
        out.append(f"| {NAMES[c]} | {fmt(v)} | {fmt(s)} | {fmt(t)} | {fmt(n)} | {fmt(h)} | "
                   f"{fmt(v / best if v and best else None, 2)} | {fmt(v / t if v and t else None, 2)} | "
                   f"≥ {tval} × {tname}: {reached}{extra} |")
    out.append("")
    out.append("Adjoint's step in detail (Vector API kernels), and the peers' backward ÷ forward:")
    out.append("")
    out.append("| configuration | forward ms | step ms | (step − forward) ÷ forward | PyTorch bwd ÷ fwd | SGD update ms |"
               " bytes allocated per step | time to steady state s (steps) | GFLOP/s (nominal) |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in "abcd":
        rs = by.get(("adjoint-vector", c), [])
        if not rs:
            continue
        f, st, u = med([r["forward_ms"] for r in rs]), med([r["step_ms"] for r in rs]), med([r["update_ms"] for r in rs])
        al = med([r["alloc_bytes_per_step"] for r in rs])
        ts, ws = med([r["time_to_steady_s"] for r in rs]), med([r["warmup_steps"] for r in rs])
        tb = med([r.get("bwd_fwd") for r in by.get(("torch", c), [])])
        gf = MFLOP[c] / st if c in MFLOP and st else None
        out.append(f"| {NAMES[c]} | {f:.3f} | {st:.3f} | {(st - f) / f:.2f} | {fmt(tb, 2)} | {u:.4f} | {al:,.0f} |"
                   f" {ts:.1f} ({ws:,.0f}) | {fmt(gf)} |")
    if a.jmh and os.path.exists(a.jmh):
        out.append("")
        jmh = json.load(open(a.jmh))
        peak = open(a.peak).read() if a.peak and os.path.exists(a.peak) else ""
        fma = re.search(r"fp32 zmm\(512\)\s+threads=1: ([0-9.]+)", peak)
        sgemm = re.search(r"float32: median ([0-9.]+) GF/s", peak)
        out.append("`MatMul` on 512×512×512 f32, one thread (JMH, `java -jar bench/target/benchmarks.jar MatMulBench -p"
                   " shape=nn:512x512x512`; average time of 5 one-second iterations after 5 of warm-up), against the"
                   " machine's peak measured in the same run (`fma_peak.c`: 12 chains of 512-bit FMA, best of 5;"
                   " `gemm_peak.py`: NumPy/OpenBLAS SGEMM at N = 2048, median of 5):")
        out.append("")
        out.append("| implementation | µs per product | GFLOP/s | % of SGEMM peak | % of FMA peak | target (% of SGEMM"
                   " peak) |")
        out.append("|---|---:|---:|---:|---:|---|")
        for b in jmh:
            name = b["benchmark"].rsplit(".", 1)[1]
            us = b["primaryMetric"]["score"]
            gf = 2 * 512 ** 3 / (us * 1e-6) / 1e9
            target = 70 if name == "vector" else 25
            pct_s = 100 * gf / float(sgemm.group(1)) if sgemm else None
            pct_f = 100 * gf / float(fma.group(1)) if fma else None
            out.append(f"| {'Vector API' if name == 'vector' else 'scalar'} | {us:,.0f} | {gf:.1f} | {fmt(pct_s, 0)} |"
                       f" {fmt(pct_f, 0)} | ≥ {target} %: {'reached' if pct_s and pct_s >= target else 'not reached'} |")
        out.append("")
        out.append("Peak measurements of this run: " + "; ".join(l.strip() for l in peak.splitlines() if l.strip()) + ".")
    section = "<!-- bench-peers:begin -->\n" + "\n".join(out) + "\n<!-- bench-peers:end -->"

    text = open(a.out).read() if os.path.exists(a.out) else "# Benchmarks\n"
    if "<!-- bench-peers:begin -->" in text:
        text = re.sub(r"<!-- bench-peers:begin -->.*?<!-- bench-peers:end -->", lambda m: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    open(a.out, "w").write(text)


if __name__ == "__main__":
    main()
