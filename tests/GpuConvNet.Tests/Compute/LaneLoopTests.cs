using GpuConvNet.Compute;
using GpuConvNet.Compute.OpenCL;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Compute;

/// <summary>
/// OpenCL's two forms of an auto-grouped kernel — one lane per index (GPUs) and lane loops over blocks of indices
/// (CPUs, the default there) — run every index of the extent exactly once, whatever the extent's tails. The kernel
/// suites run the lane loops on PoCL; here both forms run on one device, side by side.
/// </summary>
[TestClass]
public sealed class LaneLoopTests
{
    public static IEnumerable<object[]> Extents =>
    [
        [new Index3D(1, 1, 1), 1], [new Index3D(1000, 1, 1), 1], [new Index3D(100_003, 1, 1), 1], [new Index3D(17, 1, 1), 1],
        [new Index3D(784, 2048, 1), 2], [new Index3D(1, 777, 1), 2], [new Index3D(3001, 3, 1), 2], [new Index3D(0, 5, 1), 2],
        [new Index3D(13, 11, 9), 3], [new Index3D(1, 1, 300), 3], [new Index3D(129, 2, 70), 3], [new Index3D(5, 0, 4), 3],
    ];

    [TestMethod]
    [DynamicData(nameof(Extents))]
    public void EveryIndex_RunsExactlyOnce_InBothForms(Index3D extent, int rank)
    {
        var backend = Accelerators.Backends.First(b => b.Kind == AcceleratorKind.OpenCL);
        if (backend.Devices.Count == 0)
        {
            Backends.Get(AcceleratorKind.OpenCL); // fails under CI, Inconclusive elsewhere, with the reason
        }
        // An accelerator of its own: switching LaneLoops on the shared one would change what other tests run.
        using var accelerator = (OpenCLAccelerator)backend.Devices[0].Open();
        int count = extent.X * extent.Y * extent.Z;
        foreach (bool laneLoops in new[] { true, false })
        {
            accelerator.LaneLoops = laneLoops;
            using var hits = accelerator.Allocate<int>(Math.Max(1, count));
            hits.Fill(0);
            switch (rank)
            {
                case 1:
                    accelerator.Launch(LaneLoopKernels.Count1, new Index1D(extent.X), hits.View);
                    break;
                case 2:
                    accelerator.Launch(LaneLoopKernels.Count2, new Index2D(extent.X, extent.Y), hits.View, extent.X);
                    break;
                default:
                    accelerator.Launch(LaneLoopKernels.Count3, extent, hits.View, extent.X, extent.Y);
                    break;
            }
            var seen = hits.ToArray();
            for (int i = 0; i < count; i++)
            {
                Assert.AreEqual(1, seen[i], $"lane loops {laneLoops}: index {i} of {extent} ran {seen[i]} times");
            }
        }
    }
}

/// <summary>Kernels that count how often each index of their extent runs.</summary>
public static partial class LaneLoopKernels
{
    [Kernel]
    public static void Count1(Index1D index, ArrayView<int> hits)
    {
        Atomic.Add(ref hits[index], 1);
    }

    [Kernel]
    public static void Count2(Index2D index, ArrayView<int> hits, int width)
    {
        Atomic.Add(ref hits[index.Y * width + index.X], 1);
    }

    [Kernel]
    public static void Count3(Index3D index, ArrayView<int> hits, int width, int height)
    {
        Atomic.Add(ref hits[(index.Z * height + index.Y) * width + index.X], 1);
    }
}
