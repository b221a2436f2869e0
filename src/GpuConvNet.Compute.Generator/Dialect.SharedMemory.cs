namespace GpuConvNet.Compute.Generator;

// Dynamic shared memory (SharedMemory.GetDynamic): OpenCL passes it as a __local kernel argument sized at the launch
// (clSetKernelArg with a size and no value), CUDA as the launch's extern __shared__ bytes; both pass its size in bytes.
internal abstract partial class Dialect
{
    /// <summary>The kernel parameters that carry the dynamic shared memory, after every other.</summary>
    public abstract string DynamicSharedParameters { get; }

    /// <summary>
    /// The kernel-scope line that makes <see cref="FunctionTranslator.DynamicSharedMemory"/> name it, as elements of
    /// <paramref name="elementType"/> (the one type a kernel reads it as, so that it is aligned for that type).
    /// </summary>
    public abstract string DynamicSharedDeclaration(string elementType);

    private sealed partial class OpenCLDialect
    {
        public override string DynamicSharedParameters =>
            "__local uchar* " + FunctionTranslator.DynamicSharedMemory + ", int " + FunctionTranslator.DynamicSharedBytes;

        public override string DynamicSharedDeclaration(string elementType) =>
            "// " + FunctionTranslator.DynamicSharedMemory + ": the launch's dynamic shared memory, a __local argument";
    }

    private sealed partial class CudaDialect
    {
        public override string DynamicSharedParameters => "int " + FunctionTranslator.DynamicSharedBytes;

        public override string DynamicSharedDeclaration(string elementType) =>
            "extern __shared__ " + elementType + " " + FunctionTranslator.DynamicSharedMemory + "[];";
    }
}

internal sealed partial class DeferredDialect
{
    public override string DynamicSharedParameters => Defer(d => d.DynamicSharedParameters);

    public override string DynamicSharedDeclaration(string elementType) => Defer(d => d.DynamicSharedDeclaration(Render(elementType, d)));
}
