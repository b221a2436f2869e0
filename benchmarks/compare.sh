#!/usr/bin/env bash
# Runs GpuConvNet's benchmarks, PyTorch's and libtorch's on the same shapes and models, then prints the tables with
# ratios.
#   bash benchmarks/compare.sh ['*ModelBenchmarks* *MatMulBenchmarks*' (BenchmarkDotNet filters)] [--update kernels.md]
# PYTHON picks the interpreter that has torch (Debian's: /usr/bin/python3); GPUCONVNET_BENCH_DEVICES limits devices;
# BENCH_ARGS adds BenchmarkDotNet options (e.g. "--inProcess" on a machine without the SDK). LIBTORCH replaces the
# command that runs the libtorch baseline (default: build benchmarks/libtorch here, an error if that fails); LIBTORCH=off
# leaves it out. libtorch runs on the CPU (TorchSharp-cpu), beside PyTorch on whichever device it has.
set -euo pipefail
cd "$(dirname "$0")/.."
filters="${1:-*ModelBenchmarks* *MatMulBenchmarks*}"
shift || true
set -f  # the filters are BenchmarkDotNet patterns, not file globs
artifacts="${ARTIFACTS:-BenchmarkDotNet.Artifacts}"
python="${PYTHON:-python3}"
device=cpu
command -v nvidia-smi >/dev/null 2>&1 && device=cuda
# Built first, so that a missing baseline stops the run before the long benchmarks.
libtorch="${LIBTORCH:-$(bash benchmarks/libtorch/build.sh)}"
dotnet run --project benchmarks/GpuConvNet.Benchmarks -c Release -- --quick ${BENCH_ARGS:-} --filter $filters --artifacts "$artifacts"
"$python" benchmarks/pytorch/bench.py --device "$device" --out "$artifacts/pytorch-$device.json"
baselines=(--pytorch "$artifacts/pytorch-$device.json")
if [ "$libtorch" = off ]; then
  echo "libtorch baseline left out (LIBTORCH=off)" >&2
else
  $libtorch bench --out "$artifacts/libtorch-cpu.json"
  baselines+=(--libtorch "$artifacts/libtorch-cpu.json")
fi
"$python" benchmarks/report.py --artifacts "$artifacts" "${baselines[@]}" "$@"
