#!/usr/bin/env python3
"""Writes src/GpuConvNet.Compute/Runtime/Accelerator.Launch.cs (one typed Launch overload per parameter count) and
Accelerator.LoadKernel.cs (ILGPU's Load*Kernel names, which return typed launch delegates, per parameter count)."""
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

# ILGPU's loading calls: the delegate they return launches on this accelerator, as ILGPU's does. The stream forms take
# one more type argument, so they stop one parameter earlier (Action<> takes at most 16).
load = [
    "// ILGPU's kernel-loading calls, one per parameter count: each checks the kernel once and returns a typed launcher.",
    "// Written by dev/write-launch-overloads.py: edit the script, not this file.",
    "namespace GpuConvNet.Compute;", "", "public abstract partial class Accelerator", "{",
]
for n in range(MAX_PARAMETERS + 1):
    ts = [f"T{i}" for i in range(1, n + 1)]
    params = "".join(f", T{i} a{i}" for i in range(1, n + 1))
    args = ", ".join(f"a{i}" for i in range(1, n + 1))
    lambda_args = "".join(f", a{i}" for i in range(1, n + 1))
    indexed = ", ".join(["TIndex"] + ts)
    load += [
        '    /// <summary>ILGPU\'s name: checks the auto-grouped <paramref name="kernel"/> and returns its launcher (extent, arguments).</summary>',
        f"    public Action<{indexed}> LoadAutoGroupedStreamKernel<{indexed}>(Action<{indexed}> kernel) where TIndex : struct, IKernelIndex",
        "    {",
        "        Load(kernel, grouped: false);",
        f"        return (extent{lambda_args}) => LaunchIndexed(kernel, extent, [{args}]);",
        "    }", "",
    ]
    if n < MAX_PARAMETERS:
        load += [
            '    /// <summary>ILGPU\'s name: as <see cref="LoadAutoGroupedStreamKernel{TIndex}"/>, with the stream first.</summary>',
            f"    public Action<AcceleratorStream, {indexed}> LoadAutoGroupedKernel<{indexed}>(Action<{indexed}> kernel) where TIndex : struct, IKernelIndex",
            "    {",
            "        Load(kernel, grouped: false);",
            f"        return (stream, extent{lambda_args}) => OnStream(stream).LaunchIndexed(kernel, extent, [{args}]);",
            "    }", "",
        ]
    if n:
        grouped = ", ".join(ts)
        load += [
            '    /// <summary>ILGPU\'s name: checks the explicitly grouped <paramref name="kernel"/> and returns its launcher (config, arguments).</summary>',
            f"    public Action<KernelConfig, {grouped}> LoadStreamKernel<{grouped}>(Action<{grouped}> kernel)",
            "    {",
            "        Load(kernel, grouped: true);",
            f"        return (config{lambda_args}) => LaunchGrouped(kernel, config, [{args}]);",
            "    }", "",
        ]
        if n < MAX_PARAMETERS:
            load += [
                '    /// <summary>ILGPU\'s name: as <see cref="LoadStreamKernel{T1}"/>, with the stream first.</summary>',
                f"    public Action<AcceleratorStream, KernelConfig, {grouped}> LoadKernel<{grouped}>(Action<{grouped}> kernel)",
                "    {",
                "        Load(kernel, grouped: true);",
                f"        return (stream, config{lambda_args}) => OnStream(stream).LaunchGrouped(kernel, config, [{args}]);",
                "    }", "",
            ]
load[-1] = "}"
(root / "src/GpuConvNet.Compute/Runtime/Accelerator.LoadKernel.cs").write_text("\n".join(load) + "\n")
