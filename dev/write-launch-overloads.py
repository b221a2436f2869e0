#!/usr/bin/env python3
"""Writes src/GpuConvNet.Compute/Runtime/Accelerator.Launch.cs: one typed Launch overload per parameter count."""
import pathlib

MAX_PARAMETERS = 14  # Action<> takes 16 type arguments; the index takes one.
out = [
    "// Typed launch overloads, one per parameter count (C# has no variadic generics).",
    "// Written by dev/write-launch-overloads.py: edit the script, not this file.",
    "namespace GpuConvNet.Compute;", "", "public abstract partial class Accelerator", "{",
]
for n in range(MAX_PARAMETERS + 1):
    ts = [f"T{i}" for i in range(1, n + 1)]
    params = "".join(f", T{i} a{i}" for i in range(1, n + 1))
    args = ", ".join(f"a{i}" for i in range(1, n + 1))
    indexed = ", ".join(["TIndex"] + ts)
    out += [
        '    /// <summary>Launches an auto-grouped kernel over <paramref name="extent"/> (one lane per element).</summary>',
        f"    public void Launch<{indexed}>(Action<{indexed}> kernel, TIndex extent{params}) where TIndex : struct, IKernelIndex =>",
        f"        LaunchIndexed(kernel, extent, [{args}]);", "",
    ]
    if n:
        grouped = ", ".join(ts)
        out += [
            '    /// <summary>Launches an explicitly grouped kernel with <paramref name="config"/>.</summary>',
            f"    public void Launch<{grouped}>(Action<{grouped}> kernel, KernelConfig config{params}) =>",
            f"        LaunchGrouped(kernel, config, [{args}]);", "",
        ]
out[-1] = "}"
root = pathlib.Path(__file__).resolve().parent.parent
(root / "src/GpuConvNet.Compute/Runtime/Accelerator.Launch.cs").write_text("\n".join(out) + "\n")
