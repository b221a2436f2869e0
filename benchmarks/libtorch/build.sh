#!/usr/bin/env bash
# Builds the libtorch baseline (TorchSharp-cpu 0.107.0 = libtorch 2.10; the build also makes libLibTorchSharp.so's
# GLIBCXX_3.4.32 need weak, see weaken-glibcxx.py), checks that libtorch loads and computes, and prints the command that
# runs it, for compare.sh and speedrun.sh:
#   libtorch=$(bash benchmarks/libtorch/build.sh) && $libtorch speedrun --seeds 1
# A failed build (no SDK, the package not restorable) or check prints why and an error, and exits 1.
set -euo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet build -c Release -nologo -v q > "$log" 2>&1; then
  cat "$log" >&2
  echo "error: the libtorch baseline (benchmarks/libtorch, package TorchSharp-cpu 0.107.0) did not build; fix that," \
    "point LIBTORCH at a built one, or leave it out explicitly with LIBTORCH=off" >&2
  exit 1
fi
command="dotnet $PWD/bin/Release/net10.0/GpuConvNet.LibTorchBaseline.dll"
if ! $command check >&2; then
  echo "error: the libtorch baseline built but libtorch does not load or compute (above)" >&2
  exit 1
fi
echo "$command"
