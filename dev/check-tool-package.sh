#!/usr/bin/env bash
# The installable tool as a user gets it: packs src/GpuConvNet.Cli (one package per platform), checks that no package
# carries native debug symbols and that this platform's is under 40 MB, installs it with 'dotnet tool install' from
# the local folder into a temporary tool path, and runs 'gpuconvnet devices' and 'gpuconvnet shapes' (SkiaSharp's
# native library writing PNGs). About two minutes; .ci/run calls it after the tests. Exit 0 when all holds.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
# The installed tool keeps its caches (MNIST, data sets, tuning) in the check's folder, never in the user's.
export GPUCONVNET_CACHE="$work/cache"
trap 'rm -rf "$work"' EXIT
limit=$((40 * 1000 * 1000))

dotnet pack src/GpuConvNet.Cli -c Release -o "$work/packages" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; echo "tool package: dotnet pack failed"; exit 1; }
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
package="$work/packages/GpuConvNet.Cli.$rid.1.0.0.nupkg"
[ -f "$package" ] || { echo "tool package: no package for this platform ($rid) in $(ls "$work/packages")"; exit 1; }

for nupkg in "$work"/packages/*.nupkg; do
  if unzip -l "$nupkg" | grep -Eq '(runtimes/.*/native/.*|/lib[^/]*)\.pdb$'; then
    echo "tool package: $(basename "$nupkg") carries native debug symbols"; exit 1
  fi
done
size=$(stat -c %s "$package")
echo "tool package for $rid: $size bytes"
[ "$size" -lt "$limit" ] || { echo "tool package: $size bytes, over the $limit allowed"; exit 1; }

dotnet tool install GpuConvNet.Cli --tool-path "$work/tool" --add-source "$work/packages" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; echo "tool package: dotnet tool install failed"; exit 1; }
"$work/tool/gpuconvnet" devices >"$work/devices.log" 2>&1 || { cat "$work/devices.log"; echo "tool package: 'gpuconvnet devices' failed after install"; exit 1; }
grep -q '^best: ' "$work/devices.log" || { cat "$work/devices.log"; echo "tool package: 'gpuconvnet devices' named no best device"; exit 1; }
"$work/tool/gpuconvnet" shapes --out "$work/shapes" --per-class 2 >"$work/shapes.log" 2>&1 \
  || { cat "$work/shapes.log"; echo "tool package: 'gpuconvnet shapes' failed after install"; exit 1; }
echo "tool package: installed; devices and shapes work"
