#!/usr/bin/env bash
# Data-parallel scaling on this machine: `gpuconvnet train` as 1, 2 and 4 ranks of Open MPI's mpirun, for fast, cnn and
# cnn-plus, one epoch each on the first IMAGES training images of MNIST (--validation 0), per-rank batch = the model's.
# Prints per model and rank count: images/s over the epoch, and the time per step split into compute (everything but
# the all-reduce: gather, forward, backward, the gradients' copies to and from the host, the optimiser) and all-reduce
# (the MPI_Allreduce of the gradients, waiting for the slowest rank included), from rank 0's own clock.
#   bash benchmarks/scaling.sh [device (opencl:pocl)] [ranks (1 2 4)]
# DATA: MNIST's folder (../shared/data/mnist); IMAGES: training images per epoch (8192); MODELS: (fast cnn cnn-plus).
# On a machine with fewer cores than ranks, the ranks share the cores (--oversubscribe): the figures then show what
# oversubscription costs, not what more devices gain.
set -euo pipefail
cd "$(dirname "$0")/.."
device="${1:-opencl:pocl}"
shift || true
ranks="${*:-1 2 4}"
data="${DATA:-../shared/data/mnist}"
images="${IMAGES:-8192}"
models="${MODELS:-fast cnn cnn-plus}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/GpuConvNet.Cli -c Release -v q -nologo >/dev/null
cli="src/GpuConvNet.Cli/bin/Release/net10.0/GpuConvNet.Cli.dll"

# The first IMAGES training images (and the first 1,000 test images) in MNIST's own format.
python3 - "$data" "$work/data" "$images" <<'PY'
import gzip, os, struct, sys
source, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(target, exist_ok=True)
for prefix, n in (("train", count), ("t10k", 1000)):
    with gzip.open(f"{source}/{prefix}-images-idx3-ubyte.gz") as f:
        magic, total, rows, cols = struct.unpack(">IIII", f.read(16)); pixels = f.read(n * rows * cols)
    with gzip.open(f"{target}/{prefix}-images-idx3-ubyte.gz", "wb") as f:
        f.write(struct.pack(">IIII", magic, n, rows, cols) + pixels)
    with gzip.open(f"{source}/{prefix}-labels-idx1-ubyte.gz") as f:
        magic, total = struct.unpack(">II", f.read(8)); labels = f.read(n)
    with gzip.open(f"{target}/{prefix}-labels-idx1-ubyte.gz", "wb") as f:
        f.write(struct.pack(">II", magic, n) + labels)
PY

echo "device $device, $images images an epoch, $(nproc) cores: $(lscpu | sed -n 's/^Model name: *//p')"
echo
echo "| model | ranks | global batch | images/s | ms per step | compute | all-reduce |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for model in $models; do
  # Once alone first, untimed: the device's kernels compile and tune into the caches every later run reads.
  dotnet "$cli" train --model "$model" --device "$device" --data "$work/data" --epochs 1 --validation 0 --out "$work/warm" \
    > "$work/warm.log" 2>&1 || { cat "$work/warm.log"; exit 1; }
  for n in $ranks; do
    log="$work/$model-$n.log"
    NO_COLOR=1 mpirun --allow-run-as-root --oversubscribe -np "$n" dotnet "$cli" train --model "$model" --device "$device" \
      --data "$work/data" --epochs 1 --validation 0 --out "$work/$model-$n" > "$log" 2>&1 || { cat "$log"; exit 1; }
    python3 - "$log" "$model" "$n" "$images" <<'PY'
import re, sys
text = open(sys.argv[1]).read(); model, n, images = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
batch = int(re.search(r"batch (\d+),", text).group(1))
epoch = re.search(r"epoch 1/1 .*?([\d.]+) s, ([\d,]+) img/s", text)
seconds, rate = float(epoch.group(1)), epoch.group(2)
reduce = re.search(r"all-reduce: (\d+) steps, ([\d.]+) ms per step of ([\d.]+) ms", text)
if reduce:
    steps, allreduce, step = int(reduce.group(1)), float(reduce.group(2)), float(reduce.group(3))
else:
    steps = -(-images // batch); allreduce = 0.0; step = seconds * 1000 / steps
print(f"| {model} | {n} | {batch * n} | {rate} | {step:.1f} | {step - allreduce:.1f} | {allreduce:.1f} |")
PY
  done
done
