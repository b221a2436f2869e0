#!/usr/bin/env bash
# Time to 99 %: the `fast` recipe trained from scratch on every seed, by GpuConvNet and by PyTorch on the same machine,
# side by side. Training seconds are the epochs' own (data already on the device, or in memory for PyTorch); the test
# set is evaluated once, at the end.
#   bash benchmarks/speedrun.sh [device (opencl:0)] [seeds (1 2 3 4 5)]
# PYTHON picks the interpreter that has torch (Debian's python3-torch: /usr/bin/python3); DATA the MNIST folder.
# On a CUDA device (cuda:N, ilgpu-cuda:N) PyTorch trains on the GPU too, data on the device. GPUCONVNET replaces the
# command that runs GpuConvNet (default: build and run the CLI here), e.g. on a machine without the .NET SDK:
#   GPUCONVNET="bash .device/run.sh GpuConvNet.Cli --" bash benchmarks/speedrun.sh cuda:0
set -euo pipefail
cd "$(dirname "$0")/.."
device="${1:-opencl:0}"
shift || true
seeds="${*:-1 2 3 4 5}"
python="${PYTHON:-/usr/bin/python3}"
data="${DATA:-../shared/data/mnist}"
runs=$(mktemp -d)
torch_device=cpu
case "$device" in cuda*|ilgpu-cuda*) torch_device=cuda ;; esac
if [ -z "${GPUCONVNET:-}" ]; then
  dotnet build src/GpuConvNet.Cli -c Release -v q -nologo >/dev/null
  GPUCONVNET="dotnet src/GpuConvNet.Cli/bin/Release/net10.0/GpuConvNet.Cli.dll"
fi
for seed in $seeds; do
  $GPUCONVNET train --model fast --validation 0 --seed "$seed" --device "$device" \
    --data "$data" --out "$runs/seed-$seed" > "$runs/seed-$seed.log"
done
"$python" benchmarks/pytorch/speedrun.py --data "$data" --seeds $seeds --threads "$(nproc)" --device "$torch_device" > "$runs/pytorch.jsonl"
"$python" - "$runs" $seeds <<'PY'
import csv, json, re, sys
runs, seeds = sys.argv[1], sys.argv[2:]
torch = {str(r["seed"]): r for r in map(json.loads, open(f"{runs}/pytorch.jsonl"))}
print(f"| seed | GpuConvNet: training s | test accuracy | PyTorch ({next(iter(torch.values()))['device']}): training s | test accuracy | speed-up |")
print("|---|---|---|---|---|---|")
for seed in seeds:
    rows = list(csv.DictReader(open(f"{runs}/seed-{seed}/history.csv")))
    ours = sum(float(r["seconds"]) for r in rows)
    accuracy = float(re.search(r"test accuracy: ([0-9.]+) ?%", open(f"{runs}/seed-{seed}.log").read()).group(1)) / 100
    theirs = torch[seed]
    print(f"| {seed} | {ours:.1f} | {accuracy:.2%} | {theirs['train_seconds']:.1f} | {theirs['accuracy']:.2%} | {theirs['train_seconds'] / ours:.2f}× |")
PY
rm -rf "$runs"
