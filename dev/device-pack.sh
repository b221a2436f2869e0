#!/usr/bin/env bash
# Packs .device/ for the GPU machine (../shared/docs/DEVICE.md) with ASP.NET Core's shared framework in the runtime:
# the CLI and the benchmarks reference GpuConvNet.Web, and the shared tool packs only Microsoft.NETCore.App, so
# without this neither starts there ("You must install or update .NET ... Microsoft.AspNetCore.App").
#   bash dev/device-pack.sh src/GpuConvNet.Cli tests/GpuConvNet.Tests     (then carry [".device"])
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
mkdir -p .device
if [ ! -s .device/dotnet.tar.xz ] || ! tar -tJf .device/dotnet.tar.xz | grep -q '^shared/Microsoft.AspNetCore.App/'; then
  echo "packing the .NET runtime with ASP.NET Core from $dotnet_root ..."
  tar -C "$dotnet_root" -cf - dotnet host shared/Microsoft.NETCore.App shared/Microsoft.AspNetCore.App | xz -T0 -6 > .device/dotnet.tar.xz.tmp
  mv .device/dotnet.tar.xz.tmp .device/dotnet.tar.xz
fi
exec ../shared/tools/device-pack "$@"
