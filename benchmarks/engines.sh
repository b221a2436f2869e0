#!/usr/bin/env bash
# The same kernels on every engine of this machine, in one run: our CPU accelerator, our OpenCL (PoCL here) and
# ILGPU's CPU accelerator (plus ILGPU's and our CUDA where there is a GPU). Cases are the per-kernel suites' at batch 64,
# with matmul and the models limited to the sizes ILGPU's CPU accelerator finishes in minutes (one OS thread per lane).
#   bash benchmarks/engines.sh [--update kernels.md]
# GPUCONVNET_BENCH_DEVICES overrides the devices; BENCH_ARGS adds BenchmarkDotNet options.
set -euo pipefail
cd "$(dirname "$0")/.."
devices=cpu,opencl:0,ilgpu-cpu
command -v nvidia-smi >/dev/null 2>&1 && devices="cuda:0,ilgpu-cuda:0,$devices"
export GPUCONVNET_BENCH_DEVICES="${GPUCONVNET_BENCH_DEVICES:-$devices}"
artifacts="${ARTIFACTS:-BenchmarkDotNet.Artifacts/engines}"
set -f  # BenchmarkDotNet patterns, not file globs
dotnet run --project benchmarks/GpuConvNet.Benchmarks -c Release -- --quick --inProcess ${BENCH_ARGS:-} --artifacts "$artifacts" --filter \
  '*ActivationBenchmarks*Batch: 64, Features: 9216*' '*DropoutBenchmarks*Batch: 64, Features: 9216*' '*GatherBenchmarks*Batch: 64*' '*OptimizerBenchmarks*' \
  '*MaxPoolBenchmarks*Batch: 64, Layer*64x24x24*' '*BiasGradientBenchmarks*Batch: 64*' '*AccuracyBenchmarks*Batch: 64*' '*SoftmaxBenchmarks*Batch: 64, Classes: 1000*' '*CrossEntropyBenchmarks*Batch: 64, Classes: 1000*' \
  '*Conv2D*Batch: 64*32-64_3x3_26_p0*' '*Conv2D*Batch: 64*6-16_5x5_14_p0*' '*ProofMatMulBenchmarks*Size: 256*' '*MatMulBenchmarks*256x256x256*' \
  '*MatMulBenchmarks*64x128x9216*' '*ShuffleBenchmarks*54000*' '*BinaryCrossEntropyBenchmarks*Batch: 64*' '*ModelBenchmarks*lenet5*Batch: 64*'
python3 benchmarks/report.py --artifacts "$artifacts" --section engines "$@"
