#!/usr/bin/env bash
# Packs .device/ for the GPU machine (../shared/docs/DEVICE.md) with ASP.NET Core's shared framework in the runtime
# and a copy of MNIST (dev/gpu-check.sh's speed run needs it):
# the CLI and the benchmarks reference GpuConvNet.Web, and the shared tool packs only Microsoft.NETCore.App, so
# without this neither starts there ("You must install or update .NET ... Microsoft.AspNetCore.App").
#   bash dev/device-pack.sh src/GpuConvNet.Cli tests/GpuConvNet.Tests benchmarks/GpuConvNet.Benchmarks
# then carry [".device"] (60 MB with these three: under the device tool's 64 MiB) and run bash dev/gpu-check.sh there.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
mkdir -p .device
if [ ! -s .device/dotnet.tar.xz ] || ! tar -tJf .device/dotnet.tar.xz | grep -q '^shared/Microsoft.AspNetCore.App/'; then
  echo "packing the .NET runtime with ASP.NET Core from $dotnet_root ..."
  tar -C "$dotnet_root" -cf - dotnet host shared/Microsoft.NETCore.App shared/Microsoft.AspNetCore.App | xz -T0 -6 > .device/dotnet.tar.xz.tmp
  mv .device/dotnet.tar.xz.tmp .device/dotnet.tar.xz
fi
# The speed run trains on MNIST, and the GPU machine gets the working tree but not ../shared.
if [ -d ../shared/data/mnist ] && [ ! -s .device/mnist/train-images-idx3-ubyte.gz ]; then
  mkdir -p .device/mnist && cp ../shared/data/mnist/*.gz ../shared/data/mnist/SHA256SUMS .device/mnist/
fi
../shared/tools/device-pack "$@"

# The device tool carries at most 64 MiB. The publishes share most of their files (SkiaSharp's 12 MB native library
# is in each), so they travel as one solid xz archive (three projects: 106 MB → 14 MB), unpacked on first use.
names=()
for project in "$@"; do names+=("$(basename "$project")"); done
echo "compressing ${names[*]} into .device/apps.tar.xz ..."
tar -C .device -cf - "${names[@]}" | xz -T0 -9 > .device/apps.tar.xz.tmp
mv .device/apps.tar.xz.tmp .device/apps.tar.xz
for name in "${names[@]}"; do rm -rf ".device/$name"; done
cat > .device/run.sh <<'RUN'
#!/usr/bin/env bash
# usage: bash .device/run.sh PROJECT_NAME [-- ARGS...]   (on the GPU machine, or here)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /tmp/dotnet/dotnet ]; then mkdir -p /tmp/dotnet && tar -xJf "$here/dotnet.tar.xz" -C /tmp/dotnet; fi
apps=/tmp/gpuconvnet-apps
if [ ! -f "$apps/.from" ] || [ "$(cat "$apps/.from")" != "$(stat -c %Y "$here/apps.tar.xz")" ]; then
  rm -rf "$apps" && mkdir -p "$apps" && tar -xJf "$here/apps.tar.xz" -C "$apps" && stat -c %Y "$here/apps.tar.xz" > "$apps/.from"
fi
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
name=$(basename "$1"); shift; [ "${1:-}" = "--" ] && shift
dll="$apps/$name/$name.dll"
[ -f "$dll" ] || { echo "no $dll: run dev/device-pack.sh with $name" >&2; exit 2; }
exec /tmp/dotnet/dotnet "$dll" "$@"
RUN
chmod +x .device/run.sh
du -sh .device
