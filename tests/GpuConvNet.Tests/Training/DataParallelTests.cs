using GpuConvNet.Cli;
using GpuConvNet.Distributed;
using GpuConvNet.Training;

namespace GpuConvNet.Tests.Training;

/// <summary>
/// What data-parallel training decides without MPI: each rank's shard of a global batch, the keys of its random
/// augmentation, and the device a rank picks. (The collectives run under mpirun in <see cref="MpiTrainingTests"/>.)
/// </summary>
[TestClass]
public sealed class DataParallelTests
{
    [TestMethod]
    [DataRow(64, 2)]
    [DataRow(14, 2)]
    [DataRow(7, 4)]
    [DataRow(3, 4)]
    [DataRow(1000, 3)]
    public void TheShardsOfABatch_AreContiguousDisjointInRankOrderAndBalanced(int size, int ranks)
    {
        const int start = 128;
        int next = start;
        for (int rank = 0; rank < ranks; rank++)
        {
            var shard = new DataParallel(new FixedRank(rank, ranks)).Shard(start, size);
            Assert.AreEqual(next, shard.Start, $"rank {rank} starts where rank {rank - 1} ended");
            Assert.IsTrue(shard.Size == size / ranks || shard.Size == size / ranks + 1, $"rank {rank}: {shard.Size} of {size}");
            next += shard.Size;
        }
        Assert.AreEqual(start + size, next, "the shards cover the batch");
    }

    [TestMethod]
    public void OneProcess_KeysItsRandomnessByTheStepAlone_AndRanksByStepAndRank()
    {
        Assert.AreEqual(17, new DataParallel(SingleProcess.Instance).RandomKey(17));
        var keys = Enumerable.Range(0, 3).SelectMany(step => Enumerable.Range(0, 4).Select(rank => new DataParallel(new FixedRank(rank, 4)).RandomKey(step))).ToList();
        Assert.HasCount(12, keys.Distinct(), "no two ranks or steps share masks and shifts");
    }

    [TestMethod]
    public void OneProcess_UsesTheDeviceAsNamed()
    {
        Assert.AreEqual("opencl", Ranks.Device("opencl", SingleProcess.Instance));
    }

    [TestMethod]
    public void RanksOnOneCpu_ShareIt()
    {
        Assert.AreEqual(Ranks.Device("cpu", new FixedRank(0, 2)), Ranks.Device("cpu", new FixedRank(1, 2)));
    }

    [TestMethod]
    public void WithoutALauncher_ARunIsOneProcess_AndLoadsNoMpi()
    {
        Assert.IsFalse(ProcessGroups.Launched, "the tests are not started by mpirun or srun");
        Assert.AreSame(SingleProcess.Instance, ProcessGroups.Join());
    }

    private sealed class FixedRank(int rank, int size) : IProcessGroup
    {
        public int Rank => rank;

        public int Size => size;

        public int LocalRank => rank;

        public void Sum(Span<float> values) => throw new NotSupportedException("no collectives here");

        public void Sum(Span<double> values) => throw new NotSupportedException("no collectives here");

        public void Sum(Span<int> values) => throw new NotSupportedException("no collectives here");

        public void Min(Span<int> values) => throw new NotSupportedException("no collectives here");

        public void Broadcast(Span<byte> data) => throw new NotSupportedException("no collectives here");

        public void Broadcast(Span<float> values) => throw new NotSupportedException("no collectives here");
    }
}
