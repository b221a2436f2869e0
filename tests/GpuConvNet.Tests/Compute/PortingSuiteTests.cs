using GpuConvNet.Compute;
using GpuConvNet.Tests.Infrastructure;
using GpuConvNet.ProofKernels.Porting;

namespace GpuConvNet.Tests.Compute;

/// <summary>
/// Kernels and host code in ILGPU's idiom (src/GpuConvNet.ProofKernels/Porting), each against a plain C# loop, on
/// every engine.
/// </summary>
public abstract class PortingSuiteTests : AcceleratorTest
{
    [TestMethod]
    [DataRow(1)]
    [DataRow(1000)]
    public void FirstSteps_AddConstant_MatchesTheLoop(int n)
    {
        var input = Enumerable.Range(0, n).Select(i => i * 7 - 300).ToArray();
        CollectionAssert.AreEqual(FirstSteps.Reference(input, 42), FirstSteps.RunAddConstant(Accelerator, input, 42));
    }

    [TestMethod]
    public void Mandelbrot_CountsExactlyAsCSharp() =>
        CollectionAssert.AreEqual(Mandelbrot.Reference(96, 64, -2.1f, -1.2f, 0.0375f), Mandelbrot.Render(Accelerator, 96, 64, -2.1f, -1.2f, 0.0375f));

    [TestMethod]
    [DataRow(1000, 64)]
    [DataRow(37, 16)]
    public void GroupSamples_Histogram_CountsEveryValue(int n, int groupSize)
    {
        var random = new Random(n);
        var values = Enumerable.Range(0, n).Select(_ => random.Next(0, 1000)).ToArray();
        CollectionAssert.AreEqual(GroupSamples.CountBinsReference(values), GroupSamples.CountBins(Accelerator, values, groupSize));
    }

    [TestMethod]
    public void GroupSamples_Votes_EveryGroupAgrees()
    {
        const int groupSize = 32, groups = 5;
        var random = new Random(9);
        // Group 0 all positive; the rest mixed, some above 90.
        var values = Enumerable.Range(0, groups * groupSize).Select(k => k < groupSize ? random.Next(1, 50) : random.Next(-10, 100)).ToArray();
        var (facts, disagreements) = GroupSamples.Votes(Accelerator, values, groupSize);
        CollectionAssert.AreEqual(GroupSamples.VotesReference(values, groupSize), facts);
        Assert.AreEqual(0, disagreements);
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(8)]
    public void SpecializedSample_WindowMax_MatchesTheLoop(int width)
    {
        var values = TestData.Uniform(257, seed: width);
        CollectionAssert.AreEqual(SpecializedSample.Reference(values, width), SpecializedSample.Run(Accelerator, values, width));
    }

    [TestMethod]
    [DataRow(5, 3, 7)]
    [DataRow(1, 1, 1)]
    public void MatrixSamples_Multiply_MatchesTheLoop(int m, int k, int n)
    {
        var a = Matrix(m, k, seed: 1);
        var b = Matrix(k, n, seed: 2);
        CollectionAssert.AreEqual(MatrixSamples.MultiplyReference(a, b), MatrixSamples.Multiply(Accelerator, a, b));
    }

    [TestMethod]
    public void MatrixSamples_YDenseView_KeepsItsLayout()
    {
        // 4 × 3, not square: a kernel or a copy that swapped the dimensions' strides would put elements elsewhere.
        var input = new int[4, 3];
        var doubled = new int[4, 3];
        var columns = new int[12];
        for (int x = 0; x < 4; x++)
        {
            for (int y = 0; y < 3; y++)
            {
                input[x, y] = 10 * x + y;
                doubled[x, y] = 2 * input[x, y];
                columns[x * 3 + y] = input[x, y];
            }
        }
        CollectionAssert.AreEqual(doubled, MatrixSamples.DoubleIntoColumns(Accelerator, input));
        using var buffer = Accelerator.Allocate2DDenseY<int>(new Index2D(4, 3));
        buffer.CopyFromCPU(input);
        CollectionAssert.AreEqual(columns, buffer.Buffer.GetAsArray1D(), "Y dense: (x, y) at x · Y + y");
    }

    [TestMethod]
    [DataRow(5, 3, 7)]
    [DataRow(9, 17, 2)]
    public void VolumeSamples_XYAndZYDenseViews_KeepTheirLayouts(int x, int y, int z)
    {
        // Not cubes and not multiples of any group: a swapped stride or a lost tail puts elements elsewhere.
        var input = new int[x, y, z];
        var random = new Random(x * 100 + z);
        for (int i = 0; i < x; i++)
        {
            for (int j = 0; j < y; j++)
            {
                for (int k = 0; k < z; k++)
                {
                    input[i, j, k] = random.Next(-500, 500);
                }
            }
        }
        var (result, columns) = VolumeSamples.Run(Accelerator, input);
        var (expected, expectedColumns) = VolumeSamples.Reference(input);
        CollectionAssert.AreEqual(expected, result);
        CollectionAssert.AreEqual(expectedColumns, columns, "Z dense: (x, y, z) at (x · Y + y) · Z + z");
    }

    [TestMethod]
    [DataRow(5, 3, 7)]
    [DataRow(4, 2, 2)]
    public void VolumeSamples_MirrorBlocks_ThroughA3DSharedTile(int x, int y, int z)
    {
        var input = new int[x, y, z];
        for (int i = 0; i < x; i++)
        {
            for (int j = 0; j < y; j++)
            {
                for (int k = 0; k < z; k++)
                {
                    input[i, j, k] = 100 * i + 10 * j + k;
                }
            }
        }
        CollectionAssert.AreEqual(VolumeSamples.MirrorReference(input), VolumeSamples.Mirror(Accelerator, input));
    }

    [TestMethod]
    [DataRow(5, 7, 6)]
    [DataRow(8, 4, 4)]
    [DataRow(1, 1, 1)]
    public void TiledMatrixSamples_Multiply_MatchesTheLoop(int m, int k, int n)
    {
        var a = Matrix(m, k, seed: 3);
        var b = Matrix(k, n, seed: 4);
        CollectionAssert.AreEqual(MatrixSamples.MultiplyReference(a, b), TiledMatrixSamples.Multiply(Accelerator, a, b));
    }

    [TestMethod]
    public void TiledMatrixSamples_BlockOfAView_KeepsItsOffset()
    {
        var input = new int[7, 5];
        for (int x = 0; x < 7; x++)
        {
            for (int y = 0; y < 5; y++)
            {
                input[x, y] = 10 * x + y;
            }
        }
        CollectionAssert.AreEqual(TiledMatrixSamples.BlockReference(input, 2, 1, 4, 3), TiledMatrixSamples.Block(Accelerator, input, 2, 1, 4, 3));
    }

    [TestMethod]
    [DataRow(100, 32, 32)]
    [DataRow(37, 16, 20)]
    public void DynamicSharedSample_ReversesEachGroup(int n, int groupSize, int sharedElements)
    {
        var values = Enumerable.Range(0, n).Select(i => i * 3 + 1).ToArray();
        var (reversed, lengths) = DynamicSharedSample.Run(Accelerator, values, groupSize, sharedElements);
        var (expected, expectedLengths) = DynamicSharedSample.Reference(values, groupSize, sharedElements);
        CollectionAssert.AreEqual(expected, reversed);
        CollectionAssert.AreEqual(expectedLengths, lengths, "GetDynamic's length is the launch's request");
    }

    [TestMethod]
    public void DynamicSharedMemory_BeyondTheDevice_IsRefusedInOneMessage()
    {
        int tooMany = (int)(Accelerator.Device.SharedMemoryPerGroup / sizeof(int)) + 1;
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => DynamicSharedSample.Run(Accelerator, [1, 2, 3], 4, tooMany));
        StringAssert.Contains(error.Message, $"{tooMany * 4L:N0} bytes of dynamic shared memory");
        StringAssert.Contains(error.Message, $"exceed {Accelerator.Name}'s {Accelerator.Device.SharedMemoryPerGroup:N0} bytes of shared memory per group");
    }

    private static float[,] Matrix(int rows, int columns, int seed)
    {
        var values = TestData.Uniform(rows * columns, seed);
        var matrix = new float[rows, columns];
        for (int i = 0; i < values.Length; i++)
        {
            matrix[i / columns, i % columns] = values[i];
        }
        return matrix;
    }
}
