#!/usr/bin/env python3
"""Turns benchmark results into the tables of kernels.md, with PyTorch and libtorch side by side.

Reads every *-throughput.json that GpuConvNet.Benchmarks wrote (BenchmarkDotNet.Artifacts/results by default) and,
if given, the JSON of benchmarks/pytorch/bench.py (PyTorch) and of benchmarks/libtorch's bench mode (libtorch through
TorchSharp, the same rows). Prints markdown: per suite, one row per case, one column per device, and a column and a
ratio column for each of PyTorch and libtorch where the same case was measured there. With --update kernels.md the
tables replace the text between the markers <!-- results:begin --> and <!-- results:end --> (or, with --section
engines, <!-- engines:begin --> and <!-- engines:end -->).

    python3 benchmarks/report.py --artifacts BenchmarkDotNet.Artifacts --pytorch pytorch.json [--libtorch libtorch.json] [--update kernels.md]
"""
import argparse
import glob
import json
import os
import platform
import re
import subprocess
from collections import defaultdict
from datetime import date

# Our suite/case names → PyTorch's (benchmarks/pytorch/bench.py), so ratios line up.
TORCH_CASES = {
    ("Model", "TrainStep"): "train-step",
    ("Model", "Inference"): "inference",
}


def load_ours(artifacts):
    rows, meta = [], {}
    for path in sorted(glob.glob(os.path.join(artifacts, "**", "*-throughput.json"), recursive=True)):
        with open(path) as f:
            doc = json.load(f)
        meta.update(doc.get("meta", {}))
        rows.extend(doc["rows"])
    return rows, meta


def torch_key(row):
    """The PyTorch (suite, case) that measures the same thing as one of our rows, or None."""
    suite, case = row["suite"], row["case"]
    if suite == "Model":
        method, *params = case.split()
        kv = dict(p.split("=", 1) for p in params)
        return TORCH_CASES.get(("Model", method)), f"{kv.get('Model')} batch {kv.get('Batch')}"
    if suite == "MatMul":
        kv = dict(p.split("=", 1) for p in case.split()[1:])
        m, n, k = kv["Shape"].split("x")
        return "matmul", f"{m}x{n}x{k}" if m == n else f"{m}x{n}x{k} (A·Bᵀ)"
    if suite == "Conv2D":
        return None, None
    return None, None


def figure(value):
    """Three significant figures (slow engines measure in thousandths), grouped thousands above 100."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def table(title, rows, devices, baselines, unit):
    """One markdown table; `baselines` are (name, {(suite, case): value}) pairs, each a column and a ratio column."""
    cases = sorted({r["case"] for r in rows})
    header = ["case"] + [f"{d} ({unit})" for d in devices]
    shown = [(name, values) for name, values in baselines if values and any(torch_key(r)[0] for r in rows)]
    for name, _ in shown:
        header += [name, f"best ours / {name}"]
    out = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for case in cases:
        by_device = {r["device"]: r for r in rows if r["case"] == case}
        cells = [case] + [figure(by_device[d]["value"]) if d in by_device else "–" for d in devices]
        key = torch_key(next(iter(by_device.values()))) if shown else (None, None)
        best = max(r["value"] for r in by_device.values())
        for _, values in shown:
            value = values.get(key) if key[0] else None
            cells += [f"{value:.2f}" if value else "–", f"{best / value:.2f}" if value else "–"]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def load_baseline(paths):
    """The rows of bench.py-format JSON files, keyed by (suite, case), and the last file's meta."""
    values, meta = {}, {}
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        meta = doc.get("meta", {})
        for r in doc["rows"]:
            values[(r["suite"], r["case"])] = r["value"]
    return values, meta


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--artifacts", default="BenchmarkDotNet.Artifacts")
    parser.add_argument("--pytorch", action="append", default=[], help="JSON from benchmarks/pytorch/bench.py (repeatable)")
    parser.add_argument("--libtorch", action="append", default=[],
                        help="JSON from benchmarks/libtorch (GpuConvNet.LibTorchBaseline bench; repeatable)")
    parser.add_argument("--update", help="a markdown file whose results section is replaced")
    parser.add_argument("--section", default="results",
                        help="which marked section --update replaces: <!-- SECTION:begin --> … <!-- SECTION:end -->")
    args = parser.parse_args()
    rows, meta = load_ours(args.artifacts)
    if not rows:
        raise SystemExit(f"no *-throughput.json under {args.artifacts}: run the benchmarks first")
    torch_rows, torch_meta = load_baseline(args.pytorch)
    libtorch_rows, libtorch_meta = load_baseline(args.libtorch)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    devices = meta.get("devices", {})
    lines = [f"Measured {meta.get('date', date.today().isoformat())} at commit {commit} on {meta.get('machine', platform.platform())}.",
             "Devices: " + "; ".join(f"`{k}` {v}" for k, v in devices.items()) + ".",
             f"PyTorch {torch_meta.get('torch', '–')} ({torch_meta.get('threads', '?')} threads, {torch_meta.get('device', '')}) where shown."
             if torch_meta else "No PyTorch in this run."]
    if libtorch_meta:
        lines.append(f"{libtorch_meta.get('torch', 'libtorch')} ({libtorch_meta.get('threads', '?')} threads, "
                     f"{libtorch_meta.get('device', '')}) where shown.")
    lines.append("")
    by_suite = defaultdict(list)
    for r in rows:
        by_suite[r["suite"]].append(r)
    for suite in sorted(by_suite):
        suite_rows = by_suite[suite]
        unit = suite_rows[0]["unit"]
        suite_devices = sorted({r["device"] for r in suite_rows})
        lines.append(table(suite, suite_rows, suite_devices, [("PyTorch", torch_rows), ("libtorch", libtorch_rows)], unit))
    text = "\n".join(lines)
    print(text)
    if args.update:
        with open(args.update) as f:
            doc = f.read()
        begin, end = f"<!-- {args.section}:begin -->", f"<!-- {args.section}:end -->"
        pattern = re.compile("(" + re.escape(begin) + "\n).*?(" + re.escape(end) + ")", re.S)
        if not pattern.search(doc):
            raise SystemExit(f"{args.update} has no {begin} … {end} section")
        with open(args.update, "w") as f:
            f.write(pattern.sub(lambda m: m.group(1) + text + "\n" + m.group(2), doc))


if __name__ == "__main__":
    main()
