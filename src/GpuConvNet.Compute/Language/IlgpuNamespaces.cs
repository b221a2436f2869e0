// ILGPU's namespaces, declared here so that an ILGPU program's using lines (`using ILGPU; using ILGPU.Runtime;` …)
// compile unchanged in a project that imports IlgpuSource.targets: there the names come from this library (a global
// `using GpuConvNet.Compute;`), and ILGPU's own assemblies are reached only through the extern alias `ilgpu`, by the
// generated twins. A using directive needs its namespace to exist, not to hold anything the file reads: one internal
// type each is enough, and adds no name a program could meet.
#pragma warning disable CA1812 // never instantiated: the types only make the namespaces exist

namespace ILGPU
{
    internal static class NamespaceOfIlgpu;
}

namespace ILGPU.Runtime
{
    internal static class NamespaceOfIlgpuRuntime;
}

namespace ILGPU.Runtime.CPU
{
    internal static class NamespaceOfIlgpuCpu;
}

namespace ILGPU.Runtime.Cuda
{
    internal static class NamespaceOfIlgpuCuda;
}

namespace ILGPU.Runtime.OpenCL
{
    internal static class NamespaceOfIlgpuOpenCL;
}

namespace ILGPU.Algorithms
{
    internal static class NamespaceOfIlgpuAlgorithms;
}

namespace ILGPU.Algorithms.ScanReduceOperations
{
    internal static class NamespaceOfIlgpuScanReduceOperations;
}
