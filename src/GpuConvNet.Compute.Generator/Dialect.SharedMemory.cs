namespace GpuConvNet.Compute.Generator;

// Dynamic shared memory (SharedMemory.GetDynamic): OpenCL passes it as a __local kernel argument sized at the launch
// (clSetKernelArg with a size and no value), CUDA as the launch's extern __shared__ bytes; both pass its size in bytes.
internal abstract partial class Dialect
{
    /// <summary>The kernel parameters that carry the dynamic shared memory, after every other.</summary>
    public abstract string DynamicSharedParameters { get; }

    /// <summary>The kernel-scope line that makes <see cref="FunctionTranslator.DynamicSharedMemory"/> name it.</summary>
    public abstract string DynamicSharedDeclaration { get; }

    private sealed partial class OpenCLDialect
    {
        public override string DynamicSharedParameters =>
            "__local uchar* " + FunctionTranslator.DynamicSharedMemory + ", int " + FunctionTranslator.DynamicSharedBytes;

        public override string DynamicSharedDeclaration => "// " + FunctionTranslator.DynamicSharedMemory + ": the launch's dynamic shared memory, a __local argument";
    }

    private sealed partial class CudaDialect
    {
        public override string DynamicSharedParameters => "int " + FunctionTranslator.DynamicSharedBytes;

        // Aligned for any element type a kernel reads it as.
        public override string DynamicSharedDeclaration => "extern __shared__ __align__(16) unsigned char " + FunctionTranslator.DynamicSharedMemory + "[];";
    }
}

internal sealed partial class DeferredDialect
{
    public override string DynamicSharedParameters => Defer(d => d.DynamicSharedParameters);

    public override string DynamicSharedDeclaration => Defer(d => d.DynamicSharedDeclaration);
}
