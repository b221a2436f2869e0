namespace GpuConvNet.Compute.OpenCL;

internal static class OpenCLBackend
{
    public static BackendProbe Probe() => new(AcceleratorKind.OpenCL, [], "not built yet");
}
