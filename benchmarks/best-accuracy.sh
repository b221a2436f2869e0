#!/usr/bin/env bash
# Best accuracy: the `cnn-best` recipe trained from scratch on every seed, on all 60,000 training images
# (--validation 0: nothing is chosen by the test set, which each run evaluates once, at the end), then the ensemble of
# the seeds' last checkpoints evaluated with `gpuconvnet eval A B C` (their probabilities averaged). Prints each seed's
# test accuracy and training seconds, the mean over the seeds, and the ensemble's accuracy.
#   bash benchmarks/best-accuracy.sh [device (opencl:0)] [seeds (1 2 3)]
# DATA: the MNIST folder; EPOCHS shortens every run for a smoke test (the recipe is 30 epochs); MODEL trains another
# recipe the same way; RUNS keeps the runs (checkpoints, logs) in that folder instead of a temporary one.
# GPUCONVNET replaces the command that runs GpuConvNet (default: build and run the CLI here), e.g. on a machine without
# the .NET SDK:
#   GPUCONVNET="bash .device/run.sh GpuConvNet.Cli --" bash benchmarks/best-accuracy.sh cuda:0
set -euo pipefail
cd "$(dirname "$0")/.."
device="${1:-opencl:0}"
shift || true
seeds="${*:-1 2 3}"
data="${DATA:-../shared/data/mnist}"
model="${MODEL:-cnn-best}"
epochs=()
[ -n "${EPOCHS:-}" ] && epochs=(--epochs "$EPOCHS")
runs="${RUNS:-$(mktemp -d)}"
mkdir -p "$runs"
if [ -z "${GPUCONVNET:-}" ]; then
  dotnet build src/GpuConvNet.Cli -c Release -v q -nologo >/dev/null
  GPUCONVNET="dotnet src/GpuConvNet.Cli/bin/Release/net10.0/GpuConvNet.Cli.dll"
fi
checkpoints=()
for seed in $seeds; do
  $GPUCONVNET train --model "$model" --validation 0 --seed "$seed" --device "$device" "${epochs[@]}" \
    --data "$data" --out "$runs/seed-$seed" > "$runs/seed-$seed.log"
  checkpoints+=("$runs/seed-$seed/$model.safetensors")
done
$GPUCONVNET eval "${checkpoints[@]}" --device "$device" --data "$data" --out "$runs/ensemble" > "$runs/ensemble.log"
python3 - "$runs" "$model" $seeds <<'PY'
import csv, re, sys
runs, model, seeds = sys.argv[1], sys.argv[2], sys.argv[3:]
def percent(pattern, path):
    match = re.search(pattern, open(path).read())
    if not match:
        sys.exit(f"best-accuracy.sh: no accuracy in {path}")
    return float(match.group(1))
print(f"| seed | {model}: test accuracy | training s |")
print("|---|---|---|")
accuracies = []
for seed in seeds:
    accuracy = percent(r"test accuracy: ([0-9.]+) ?%", f"{runs}/seed-{seed}.log")
    seconds = sum(float(r["seconds"]) for r in csv.DictReader(open(f"{runs}/seed-{seed}/history.csv")))
    accuracies.append(accuracy)
    print(f"| {seed} | {accuracy:.2f} % | {seconds:.0f} |")
print(f"| mean | {sum(accuracies) / len(accuracies):.3f} % | |")
ensemble = percent(r"test, ensemble of \d+: accuracy ([0-9.]+) ?%", f"{runs}/ensemble.log") if len(seeds) > 1 \
    else percent(r"test: accuracy ([0-9.]+) ?%", f"{runs}/ensemble.log")
print(f"| ensemble of {len(seeds)} | {ensemble:.2f} % | |")
print(f"runs, logs and checkpoints in {runs}")
PY
