using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

internal sealed partial class ProgramTranslator
{
    /// <summary>Bytes of the kernel's shared arrays of constant length (KernelDefinition.StaticSharedMemoryBytes).</summary>
    public long StaticSharedBytes { get; set; }

    /// <summary>The element type the kernel reads its dynamic shared memory as; null when it reads none.</summary>
    public ITypeSymbol? DynamicSharedElement { get; set; }
}
