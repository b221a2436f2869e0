using GpuConvNet.Compute.Generator.Tests.Infrastructure;

namespace GpuConvNet.Compute.Generator.Tests;

/// <summary>
/// The OpenCL C, CUDA C and ILGPU twin of a kernel using every warp intrinsic and both kinds of ILGPU.Algorithms
/// collective, against reviewed snapshots (see <see cref="Snapshot"/>); the CUDA text is checked here only (no GPU),
/// so the assertions name the intrinsics it must call.
/// </summary>
[TestClass]
public sealed class WarpSnapshotTests
{
    internal const string WarpCollectives = """
        namespace Sample;

        public static partial class Snapshots
        {
            [Kernel]
            public static void WarpCollectives(ArrayView<float> x, ArrayView<float> y)
            {
                int i = Grid.GlobalIndex.X;
                float v = x[i];
                for (int offset = Warp.WarpSize / 2; offset > 0; offset /= 2)
                {
                    v += Warp.ShuffleDown(v, offset);
                }
                int lane = Warp.LaneIdx;
                int pair = Warp.ShuffleXor(lane, 1, 2);
                int before = Warp.ShuffleUp(lane, 1);
                int first = Warp.Shuffle(lane, 0);
                float last = Warp.Broadcast(v, Warp.WarpSize - 1);
                Warp.Barrier();
                long wide = WarpExtensions.Reduce<long, AddInt64>((long)pair);
                uint highest = WarpExtensions.ExclusiveScan<uint, MaxUInt32>((uint)before);
                float largest = GroupExtensions.AllReduce<float, MaxFloat>(last);
                int offsetInGroup = GroupExtensions.ExclusiveScan<int, AddInt32>(first);
                if (Warp.IsFirstLane || Warp.IsLastLane)
                {
                    y[i] = largest + (float)wide + (float)highest + (float)offsetInGroup + (float)(Warp.WarpIdx + Warp.ComputeWarpThreadIdx(Group.IdxX));
                }
            }
        }
        """;

    [TestMethod]
    public void WarpCollectives_MatchSnapshots()
    {
        var result = GeneratorHarness.Run(WarpCollectives);
        result.AssertCleanAndCompiles();
        var (openCL, cuda) = result.DeviceSources("Snapshots.WarpCollectives");
        string twin = result.Generated("Sample.Snapshots.Ilgpu.g.cs").SourceText.ToString();
        Snapshot.Verify("WarpCollectives.opencl", openCL);
        Snapshot.Verify("WarpCollectives.cuda", cuda);
        Snapshot.Verify("WarpCollectives.ilgpu", twin, "txt");
        // CUDA shuffles in registers; OpenCL 1.2 through one slot per lane between barriers, and declares the slots.
        foreach (string intrinsic in new[] { "__shfl_down_sync(0xffffffffu, v, offset, 32)", "__shfl_xor_sync(0xffffffffu, lane, 1, 2)", "__shfl_up_sync", "__shfl_sync", "__syncwarp()" })
        {
            Assert.Contains(intrinsic, cuda);
            Assert.DoesNotContain(intrinsic, openCL);
        }
        Assert.Contains("__local float collective_float[1024];", openCL);
        Assert.Contains("// collective_long: none, warps shuffle in registers", cuda);
        Assert.Contains("__shared__ float collective_float[1024];", cuda, "the group reduction needs its slots on CUDA too");
        Assert.Contains("global::ILGPU.Algorithms.WarpExtensions.Reduce<long, global::ILGPU.Algorithms.ScanReduceOperations.AddInt64>", twin);
        Assert.Contains("global::ILGPU.Warp.ShuffleDown(v, offset)", twin);
        // The launch learns what the collectives need.
        string registration = result.Generated("Snapshots.WarpCollectives.g.cs").SourceText.ToString();
        Assert.Contains("MaxGroupSize = global::GpuConvNet.Compute.KernelDefinition.CollectiveGroupLimit", registration);
        Assert.Contains("UsesWarps = true", registration);
    }

    [TestMethod]
    public void WarpCollectives_CompileWithClang()
    {
        var (openCL, cuda) = GeneratorHarness.Run(WarpCollectives).DeviceSources("Snapshots.WarpCollectives");
        DeviceCompiler.AssertOpenCLCompiles(nameof(WarpCollectives), openCL);
        DeviceCompiler.AssertCudaCompiles(nameof(WarpCollectives), cuda);
    }
}
