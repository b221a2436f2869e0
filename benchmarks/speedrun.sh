#!/usr/bin/env bash
# Time to 99 %: the `fast` recipe trained from scratch on every seed, by GpuConvNet, by libtorch 2.10 (TorchSharp, CPU)
# and by PyTorch on the same machine, side by side; per seed the three run one after the other, so that a change in the
# machine's load falls on all of them. Training seconds are the epochs' own (data already on the device, or in memory
# for libtorch and PyTorch); the test set is evaluated once, at the end.
#   bash benchmarks/speedrun.sh [device (opencl:0)] [seeds (1 2 3 4 5)]
# PYTHON picks the interpreter that has torch (Debian's python3-torch: /usr/bin/python3); DATA the MNIST folder;
# EPOCHS shortens all three runs for a smoke test (the speed run is 2 epochs).
# On a CUDA device (cuda:N, ilgpu-cuda:N) PyTorch trains on the GPU too, data on the device; libtorch stays on the CPU.
# GPUCONVNET replaces the command that runs GpuConvNet (default: build and run the CLI here), e.g. on a machine without
# the .NET SDK:
#   GPUCONVNET="bash .device/run.sh GpuConvNet.Cli --" LIBTORCH=off bash benchmarks/speedrun.sh cuda:0
# LIBTORCH likewise replaces the command that runs the libtorch baseline (default: build benchmarks/libtorch here, an
# error if that fails); LIBTORCH=off leaves it out.
set -euo pipefail
cd "$(dirname "$0")/.."
device="${1:-opencl:0}"
shift || true
seeds="${*:-1 2 3 4 5}"
python="${PYTHON:-/usr/bin/python3}"
data="${DATA:-../shared/data/mnist}"
epochs=()
[ -n "${EPOCHS:-}" ] && epochs=(--epochs "$EPOCHS")
runs=$(mktemp -d)
torch_device=cpu
case "$device" in cuda*|ilgpu-cuda*) torch_device=cuda ;; esac
if [ -z "${GPUCONVNET:-}" ]; then
  dotnet build src/GpuConvNet.Cli -c Release -v q -nologo >/dev/null
  GPUCONVNET="dotnet src/GpuConvNet.Cli/bin/Release/net10.0/GpuConvNet.Cli.dll"
fi
libtorch="${LIBTORCH:-$(bash benchmarks/libtorch/build.sh)}"
[ "$libtorch" = off ] && echo "libtorch baseline left out (LIBTORCH=off)" >&2
for seed in $seeds; do
  $GPUCONVNET train --model fast --validation 0 --seed "$seed" --device "$device" "${epochs[@]}" \
    --data "$data" --out "$runs/seed-$seed" > "$runs/seed-$seed.log"
  if [ "$libtorch" != off ]; then
    $libtorch speedrun --data "$data" --seeds "$seed" --threads "$(nproc)" "${epochs[@]}" > "$runs/libtorch-$seed.json"
  fi
  "$python" benchmarks/pytorch/speedrun.py --data "$data" --seeds "$seed" --threads "$(nproc)" --device "$torch_device" \
    "${epochs[@]}" > "$runs/pytorch-$seed.json"
done
"$python" - "$runs" $seeds <<'PY'
import csv, json, os, re, sys
runs, seeds = sys.argv[1], sys.argv[2:]
load = lambda name, seed: json.load(open(f"{runs}/{name}-{seed}.json")) if os.path.exists(f"{runs}/{name}-{seed}.json") else None
torch = {seed: load("pytorch", seed) for seed in seeds}
libtorch = {seed: load("libtorch", seed) for seed in seeds}
with_libtorch = all(libtorch.values())
header = ["seed", "GpuConvNet: training s", "test accuracy"]
if with_libtorch:
    header += [f"libtorch ({libtorch[seeds[0]]['device']}): training s", "test accuracy"]
header += [f"PyTorch ({torch[seeds[0]]['device']}): training s", "test accuracy"]
header += ["speed-up vs libtorch", "speed-up vs PyTorch"] if with_libtorch else ["speed-up"]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for seed in seeds:
    rows = list(csv.DictReader(open(f"{runs}/seed-{seed}/history.csv")))
    ours = sum(float(r["seconds"]) for r in rows)
    accuracy = float(re.search(r"test accuracy: ([0-9.]+) ?%", open(f"{runs}/seed-{seed}.log").read()).group(1)) / 100
    cells = [seed, f"{ours:.1f}", f"{accuracy:.2%}"]
    baselines = ([libtorch[seed]] if with_libtorch else []) + [torch[seed]]
    for theirs in baselines:
        cells += [f"{theirs['train_seconds']:.1f}", f"{theirs['accuracy']:.2%}"]
    cells += [f"{theirs['train_seconds'] / ours:.2f}×" for theirs in baselines]
    print("| " + " | ".join(cells) + " |")
PY
rm -rf "$runs"
