using GpuConvNet.Tests.Infrastructure;

// The engines every kernel suite runs on: one line an engine. GpuConvNet.Tests.Generator writes a test class per
// suite and line ({Suite}On{Title}); Backends opens the engine's device (GPUCONVNET_TEST_<ID> picks one, e.g.
// GPUCONVNET_TEST_OPENCL=opencl:pocl). An absent engine makes its tests Inconclusive, or failed under CI=true when
// RequiredInCi: .ci/run installs PoCL and Oclgrind, and ILGPU and the CPU accelerator are always there.
[assembly: TestedEngine("cpu", "Cpu", RequiredInCi = true)]
[assembly: TestedEngine("opencl", "OpenCL", RequiredInCi = true)]
[assembly: TestedEngine("cuda", "Cuda", "Cuda")]
[assembly: TestedEngine("ilgpu-cpu", "IlgpuCpu", "Ilgpu", RequiredInCi = true)]
[assembly: TestedEngine("ilgpu-cuda", "IlgpuCuda", "Ilgpu", "Cuda")]
[assembly: TestedEngine("ilgpu-opencl", "IlgpuOpenCL", "Ilgpu")]
[assembly: TestedEngine("oclgrind", "Oclgrind", "Sanitizer", RequiredInCi = true)]
