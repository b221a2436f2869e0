namespace GpuConvNet.Compute.Cuda;

internal static class CudaBackend
{
    public static BackendProbe Probe() => new(AcceleratorKind.Cuda, [], "not built yet");
}
