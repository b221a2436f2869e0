#!/usr/bin/env python3
"""PyTorch side of the GpuConvNet benchmarks: the same kernel shapes and models, float32, same batch sizes.

Writes a JSON list of {"suite", "case", "device", "value", "unit"} rows (GFLOP/s for kernels, images/s for models)
that benchmarks/report.py puts beside the BenchmarkDotNet results.

    python3 benchmarks/pytorch/bench.py --device cpu --out pytorch.json
    python3 benchmarks/pytorch/bench.py --device cuda --out pytorch-cuda.json
--min-seconds shortens every measurement (1 s by default) for a smoke test.
"""
import argparse
import json
import os
import platform
import time

import torch
import torch.nn.functional as F

from models import MODELS


def timed(fn, device, min_seconds=1.0, warmup=2):
    """Mean seconds per call: warm up, then repeat until min_seconds have passed."""
    for _ in range(warmup):
        fn()
    if device == "cuda":
        torch.cuda.synchronize()
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        if device == "cuda":
            torch.cuda.synchronize()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and calls >= 3:
            return elapsed / calls


def matmul_rows(device, sizes, min_seconds):
    for n in sizes:
        a, b = torch.rand(n, n, device=device) * 2 - 1, torch.rand(n, n, device=device) * 2 - 1
        seconds = timed(lambda: a @ b, device, min_seconds)
        yield {"suite": "matmul", "case": f"{n}x{n}x{n}", "value": 2 * n ** 3 / seconds / 1e9, "unit": "GFLOP/s"}
    # The dense layer of `cnn`: (batch, 9216) · (9216, 128)ᵀ.
    for batch in (64, 256):
        x, w = torch.rand(batch, 9216, device=device), torch.rand(128, 9216, device=device)
        seconds = timed(lambda: x @ w.t(), device, min_seconds)
        yield {"suite": "matmul", "case": f"{batch}x128x9216 (A·Bᵀ)", "value": 2 * batch * 128 * 9216 / seconds / 1e9, "unit": "GFLOP/s"}


CONV_SHAPES = [  # (N, C, H, W, K, R, pad)
    (64, 1, 28, 28, 32, 3, 0), (256, 1, 28, 28, 32, 3, 0),
    (64, 32, 26, 26, 64, 3, 0), (256, 32, 26, 26, 64, 3, 0), (256, 32, 28, 28, 64, 3, 1),
    (64, 1, 28, 28, 6, 5, 2), (64, 6, 14, 14, 16, 5, 0),
]


def conv_rows(device, min_seconds):
    for n, c, h, w, k, r, pad in CONV_SHAPES:
        x = torch.rand(n, c, h, w, device=device, requires_grad=True)
        weight = torch.rand(k, c, r, r, device=device, requires_grad=True)
        p = (h + 2 * pad - r) + 1
        flops = 2 * n * k * c * r * r * p * p
        case = f"N{n} {c}->{k} {r}x{r} on {h}x{w} pad {pad}"
        seconds = timed(lambda: F.conv2d(x, weight, padding=pad), device, min_seconds)
        yield {"suite": "conv2d-forward", "case": case, "value": flops / seconds / 1e9, "unit": "GFLOP/s"}
        y = F.conv2d(x, weight, padding=pad)
        dy = torch.rand_like(y)
        seconds = timed(lambda: torch.autograd.grad(y, (x, weight), dy, retain_graph=True), device, min_seconds)
        yield {"suite": "conv2d-backward", "case": case, "value": 2 * flops / seconds / 1e9, "unit": "GFLOP/s"}


def model_rows(device, names, batches, min_seconds):
    for name in names:
        for batch in batches:
            torch.manual_seed(0)
            model = MODELS[name]().to(device)
            optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
            x = torch.rand(batch, 1, 28, 28, device=device)
            y = torch.randint(0, 10, (batch,), device=device)

            def step():
                optimiser.zero_grad(set_to_none=True)
                F.cross_entropy(model(x), y).backward()
                optimiser.step()

            model.train()
            seconds = timed(step, device, min_seconds)
            yield {"suite": "train-step", "case": f"{name} batch {batch}", "value": batch / seconds, "unit": "images/s"}
            model.eval()
            with torch.no_grad():
                seconds = timed(lambda: model(x), device, min_seconds)
            yield {"suite": "inference", "case": f"{name} batch {batch}", "value": batch / seconds, "unit": "images/s"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--out", default="pytorch.json")
    parser.add_argument("--models", default="lenet5,cnn")
    parser.add_argument("--batches", default="64,256")
    parser.add_argument("--matmul", default="256,1024,2048")
    parser.add_argument("--min-seconds", type=float, default=1.0)
    args = parser.parse_args()
    # PyTorch from Debian defaults to one thread: use every core, as our accelerators do.
    torch.set_num_threads(os.cpu_count() or 1)
    device_name = torch.cuda.get_device_name(0) if args.device == "cuda" else platform.processor() or platform.machine()
    rows = []
    for generator in (matmul_rows(args.device, [int(s) for s in args.matmul.split(",")], args.min_seconds),
                      conv_rows(args.device, args.min_seconds),
                      model_rows(args.device, args.models.split(","), [int(b) for b in args.batches.split(",")],
                                 args.min_seconds)):
        for row in generator:
            row["device"] = f"pytorch-{args.device}"
            rows.append(row)
            print(f"{row['suite']:16} {row['case']:36} {row['value']:10.2f} {row['unit']}", flush=True)
    meta = {"torch": torch.__version__, "threads": torch.get_num_threads(), "device": device_name,
            "blas": torch.__config__.show().splitlines()[-1] if args.device == "cpu" else "cuBLAS/cuDNN"}
    with open(args.out, "w") as f:
        json.dump({"meta": meta, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
