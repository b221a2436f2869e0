#!/usr/bin/env bash
# Runs GpuConvNet's benchmarks and PyTorch's on the same shapes and models, then prints the tables with ratios.
#   bash benchmarks/compare.sh ['*ModelBenchmarks* *MatMulBenchmarks*' (BenchmarkDotNet filters)] [--update kernels.md]
# PYTHON picks the interpreter that has torch (Debian's: /usr/bin/python3); GPUCONVNET_BENCH_DEVICES limits devices;
# BENCH_ARGS adds BenchmarkDotNet options (e.g. "--inProcess" on a machine without the SDK).
set -euo pipefail
cd "$(dirname "$0")/.."
filters="${1:-*ModelBenchmarks* *MatMulBenchmarks*}"
shift || true
set -f  # the filters are BenchmarkDotNet patterns, not file globs
artifacts="${ARTIFACTS:-BenchmarkDotNet.Artifacts}"
python="${PYTHON:-python3}"
device=cpu
command -v nvidia-smi >/dev/null 2>&1 && device=cuda
dotnet run --project benchmarks/GpuConvNet.Benchmarks -c Release -- --quick ${BENCH_ARGS:-} --filter $filters --artifacts "$artifacts"
"$python" benchmarks/pytorch/bench.py --device "$device" --out "$artifacts/pytorch-$device.json"
"$python" benchmarks/report.py --artifacts "$artifacts" --pytorch "$artifacts/pytorch-$device.json" "$@"
