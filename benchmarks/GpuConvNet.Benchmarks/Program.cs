using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GpuConvNet.Benchmarks.Infrastructure;

// Usage: GpuConvNet.Benchmarks [--inProcess] [--quick] [BenchmarkDotNet options, e.g. --filter '*MatMul*']
//   --inProcess  run in this process (no SDK needed: the GPU machine has only the runtime)
//   --quick      fewer iterations (a smoke run; numbers are rougher)
//   --verify [words]  set up (run once and check) every case of the suites named by the words, time nothing
//   --image-memory    peak memory of reading a 12 MP JPEG and the largest accepted PNG as 'predict' does
//   --serve-load [seconds] [devices]  requests/s and p50/p99 latency of 'serve' (cnn) with 1 and 16 clients
//   --upload-flood CLI [large] [small]  RSS and p50/p99 of the 'serve' process CLI under 64 8000×8000 PNGs and 200 small ones
if (args.Length > 0 && args[0] == "--verify")
{
    return VerifyOnly.Run(typeof(Program).Assembly, args[1..]) == 0 ? 0 : 1;
}
if (args.Length > 0 && args[0] == "--image-memory")
{
    return ImageMemory.Run();
}
if (args.Length > 0 && args[0] == "--serve-load")
{
    return ServeLoad.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "--upload-flood")
{
    return UploadFlood.Run(args[1..]);
}
if (args.Length == 2 && args[0] == "--peak-memory")
{
    return ImageMemory.Peak(args[1]);
}
var inProcess = args.Contains("--inProcess");
var quick = args.Contains("--quick");
var rest = args.Where(a => a is not "--inProcess" and not "--quick").ToArray();

var job = Job.Default.WithWarmupCount(quick ? 1 : 3).WithIterationCount(quick ? 3 : 10).WithLaunchCount(1);
if (inProcess)
{
    job = job.WithToolchain(InProcessEmitToolchain.Instance);
}
var config = DefaultConfig.Instance
    .AddJob(job.AsDefault())
    .AddColumn(ThroughputColumn.GigaFlops, ThroughputColumn.GigaBytes, ThroughputColumn.ImagesPerSecond)
    .AddExporter(ThroughputExporter.Default)
    .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
return 0;
