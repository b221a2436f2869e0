#!/usr/bin/env bash
# The prepared GPU check: everything the first GPU machine should run, in one command, in under 8 minutes, into one
# report. Each step has its own time box (on the GPU 120 + 60 + 2 × 80 + 120 s at most: 7 min 40 s), so a hang costs that
# step, not the run.
#   1. every kernel suite on both CUDA engines (cuda, ilgpu-cuda), and on the GPU's OpenCL when it has a platform
#   2. the speed run (`fast`, seed 1) on both CUDA engines beside PyTorch CUDA with the data on the device
#   3. the matmul and model benchmarks on the GPU, beside PyTorch CUDA (cuBLAS, cuDNN) on the same shapes
#
# Here, before the GPU machine (packs the runtime and the three projects into .device/):
#   bash dev/device-pack.sh src/GpuConvNet.Cli tests/GpuConvNet.Tests benchmarks/GpuConvNet.Benchmarks
#   bash dev/gpu-check.sh --here          # the same steps on this machine's engines (PoCL for the GPU), end to end
# There (device tool: carry [".device"], timeout_s 540):
#   bash dev/gpu-check.sh                 # writes $OUT/gpu-report.md and $OUT/gpu-check.log
set -uo pipefail
cd "$(dirname "$0")/.."
here=false
[ "${1:-}" = "--here" ] && here=true
out="${OUT:-$PWD/gpu-check-out}"
mkdir -p "$out"
report="$out/gpu-report.md"
log="$out/gpu-check.log"
: > "$log"
run() { bash .device/run.sh "$@"; }
[ -f .device/run.sh ] || { echo "no .device/run.sh: run dev/device-pack.sh first (see the top of this script)" >&2; exit 2; }
# The interpreter with torch: PYTHON, else the first python3 that imports it (Debian's here, the machine's there).
python="${PYTHON:-}"
for candidate in python3 /usr/bin/python3; do
  [ -z "$python" ] && command -v "$candidate" >/dev/null && "$candidate" -c 'import torch' 2>/dev/null && python=$candidate
done
[ -n "$python" ] || echo "no python3 with torch: the PyTorch columns will be missing" | tee -a "$log"
# MNIST: beside the repository here; dev/device-pack.sh carries a copy in .device/mnist to the GPU machine.
data="${DATA:-../shared/data/mnist}"
[ -d "$data" ] || data="$PWD/.device/mnist"

if $here; then
  # PoCL stands in for the GPU: the suites' OpenCL classes, the speed run and the benchmarks on opencl:pocl.
  engines="opencl:pocl"; suites_filter="FullyQualifiedName~OnOpenCL"; torch_device=cpu
  matmul_variants="Packed12x16"; torch_sizes="1024,2048"; bench_box=300; speed_box=150
  gpu="(here: $(lscpu | sed -n 's/^Model name: *//p'), PoCL standing in for the GPU)"
else
  engines="cuda:0 ilgpu-cuda:0"; suites_filter="TestCategory=Cuda"; torch_device=cuda
  # The variants Auto takes on a GPU (Tiled) and the register-blocked one; cuBLAS up to 4096³ beside them.
  matmul_variants="Tiled RegisterBlocked"; torch_sizes="1024,2048,4096"; bench_box=120; speed_box=80
  gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no nvidia-smi")
fi

step() {  # step SECONDS TITLE COMMAND...: runs one step in its time box, its output into the log
  local limit=$1 title=$2; shift 2
  local start=$SECONDS
  echo "== $title" | tee -a "$log"
  # A child bash, so that a step may be one of the functions below (exported with their variables).
  timeout --kill-after=10 "$limit" bash -c '"$@"' step "$@" >> "$log" 2>&1
  local rc=$?
  local verdict="ok"; [ $rc -eq 124 ] && verdict="TIMED OUT after ${limit}s"; [ $rc -ne 0 ] && [ $rc -ne 124 ] && verdict="exit $rc"
  echo "- $title: $verdict, $((SECONDS - start)) s" >> "$out/steps.md"
  echo "   $verdict ($((SECONDS - start)) s)" | tee -a "$log"
}
: > "$out/steps.md"

# 1. Kernel suites. The OpenCL platform of an NVIDIA GPU needs the ICD loader, carried as a Debian package.
tests() {
  run GpuConvNet.Tests -- --filter "$suites_filter" --minimum-expected-tests 1 2>&1 | tee "$out/tests.log" \
    | sed 's/\x1b\[[0-9;]*m//g' | grep -E '^(failed|  total|  failed|  succeeded|  skipped)' | head -60
}
export -f run tests
export out suites_filter engines python torch_device data matmul_variants torch_sizes
step 120 "kernel suites ($suites_filter)" tests
if ! $here && ls .device/ocl-icd-libopencl1*.deb >/dev/null 2>&1; then
  opencl_suites() {
    mkdir -p /tmp/ocl-icd && dpkg -x .device/ocl-icd-libopencl1*.deb /tmp/ocl-icd
    export LD_LIBRARY_PATH=/tmp/ocl-icd/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
    [ -e /etc/OpenCL/vendors/nvidia.icd ] || export OCL_ICD_VENDORS=/usr/share/nvidia
    GPUCONVNET_TEST_OPENCL=opencl:nvidia run GpuConvNet.Tests -- --filter "FullyQualifiedName~OnOpenCL" 2>&1 \
      | sed 's/\x1b\[[0-9;]*m//g' | grep -E '^(failed|  total|  failed|  succeeded|  skipped)' | head -60
  }
  export -f opencl_suites
  step 60 "kernel suites on the GPU's OpenCL (opencl:nvidia)" opencl_suites
fi

# 2. Speed run, seed 1, on each engine, PyTorch beside it on the same device kind. The libtorch baseline is left out:
# its 480 MB of natives cannot travel to the GPU machine, and it runs on the CPU only.
for engine in $engines; do
  step "$speed_box" "speed run on $engine" env GPUCONVNET="bash .device/run.sh GpuConvNet.Cli --" LIBTORCH=off \
    PYTHON="$python" DATA="$data" bash benchmarks/speedrun.sh "$engine" 1
done

# 3. Matmul and models: ours on each engine, then PyTorch on the same shapes.
bench() {
  local filters=('*ModelBenchmarks*')
  for shape in 1024x1024x1024 2048x2048x2048 256x128x9216; do
    for variant in $matmul_variants; do filters+=("*MatMulBenchmarks*$shape*$variant*"); done
  done
  GPUCONVNET_BENCH_DEVICES="${engines// /,}" run GpuConvNet.Benchmarks -- --quick --inProcess --artifacts "$out/bdn" \
    --filter "${filters[@]}" > "$out/bench-ours.log" 2>&1
  grep -E '^\| ' "$out/bench-ours.log" | head -80
  "$python" benchmarks/pytorch/bench.py --device "$torch_device" --matmul "$torch_sizes" --out "$out/pytorch.json" 2>&1 | tail -20
}
export -f bench
step "$bench_box" "matmul and model benchmarks" bench

{
  echo "# GPU check, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Device: $gpu"
  echo
  echo "## Steps"
  cat "$out/steps.md"
  echo
  echo "## Log"
  echo '```'
  cat "$log"
  echo '```'
} > "$report"
echo "report: $report"
