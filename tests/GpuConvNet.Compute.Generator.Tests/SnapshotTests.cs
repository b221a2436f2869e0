using GpuConvNet.Compute.Generator.Tests.Infrastructure;

namespace GpuConvNet.Compute.Generator.Tests;

/// <summary>
/// The OpenCL C, CUDA C and ILGPU twins emitted for a few kernels, against reviewed snapshots in Snapshots/ (see
/// <see cref="Snapshot"/>): a change in the emitted code shows as a diff to review, not as a silent change.
/// </summary>
[TestClass]
public sealed class SnapshotTests
{
    /// <summary>Auto-grouped 1D: the extent check and the view prologue.</summary>
    internal const string VectorAdd = """
        namespace Sample;

        public static partial class Snapshots
        {
            [Kernel]
            public static void VectorAdd(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
            {
                c[i] = a[i] + b[i];
            }
        }
        """;

    /// <summary>Grouped: shared memory, barriers in a loop, and a float atomic (a CAS loop in OpenCL 1.2).</summary>
    internal const string GroupReduction = """
        namespace Sample;

        public static partial class Snapshots
        {
            public const int GroupSize = 256;

            [Kernel]
            public static void GroupReduction(ArrayView<float> x, ArrayView<float> total)
            {
                var partial = SharedMemory.Allocate<float>(GroupSize);
                int lane = Group.IdxX;
                int i = Grid.GlobalIndex.X;
                partial[lane] = i < x.Length ? x[i] : 0f;
                Group.Barrier();
                for (int stride = Group.DimX / 2; stride > 0; stride >>= 1)
                {
                    if (lane < stride)
                    {
                        partial[lane] += partial[lane + stride];
                    }
                    Group.Barrier();
                }
                if (lane == 0)
                {
                    Atomic.Add(ref total[0], partial[0]);
                }
            }
        }
        """;

    /// <summary>
    /// A kernel function called with a shared and a global view (the _lg specialisation, __local in OpenCL) and with two
    /// global views (the plain one).
    /// </summary>
    internal const string SharedViewFunction = """
        namespace Sample;

        public static partial class Snapshots
        {
            public const int Block = 64;

            [KernelFunction]
            public static float Dot(ArrayView<float> x, ArrayView<float> y)
            {
                float sum = 0f;
                int n = Math.Min(x.Length, y.Length);
                for (int k = 0; k < n; k++)
                {
                    sum += x[k] * y[k];
                }
                return sum;
            }

            [Kernel]
            public static void SharedViewFunction(ArrayView<float> x, ArrayView<float> weights, ArrayView<float> result)
            {
                var tile = SharedMemory.Allocate<float>(Block);
                int i = Grid.GlobalIndex.X;
                tile[Group.IdxX] = i < x.Length ? x[i] : 0f;
                Group.Barrier();
                if (Group.IdxX == 0)
                {
                    result[2 * Grid.IdxX] = Dot(tile, weights);
                    result[2 * Grid.IdxX + 1] = Dot(x.SubView(Grid.IdxX * Block, Block), weights);
                }
            }
        }
        """;

    /// <summary>A 4×4 register tile: a private array (stackalloc) and constant loops that unroll.</summary>
    internal const string RegisterTile = """
        namespace Sample;

        public static partial class Snapshots
        {
            [Kernel]
            public static void RegisterTile(Index2D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int n, int k)
            {
                Span<float> acc = stackalloc float[16];
                int row0 = index.Y * 4;
                int col0 = index.X * 4;
                for (int p = 0; p < k; p++)
                {
                    for (int r = 0; r < 4; r++)
                    {
                        float av = a[(row0 + r) * k + p];
                        for (int s = 0; s < 4; s++)
                        {
                            acc[r * 4 + s] += av * b[p * n + col0 + s];
                        }
                    }
                }
                for (int t = 0; t < 16; t++)
                {
                    c[(row0 + t / 4) * n + col0 + t % 4] = acc[t];
                }
            }
        }
        """;

    /// <summary>A tile whose width is a SpecializedValue: an array and loops sized by a placeholder, not a parameter.</summary>
    internal const string SpecializedTile = """
        namespace Sample;

        public static partial class Snapshots
        {
            [Kernel]
            public static void SpecializedTile(Index1D index, ArrayView<float> x, ArrayView<float> y, SpecializedValue<int> width, float scale)
            {
                Span<float> tile = stackalloc float[2 * width.Value];
                for (int j = 0; j < width; j++)
                {
                    tile[j] = x[index * width.Value + j] * scale;
                }
                float sum = 0f;
                for (int j = 0; j < width.Value; j++)
                {
                    sum += tile[j];
                }
                y[index] = sum;
            }
        }
        """;

    /// <summary>
    /// Grouped, in ILGPU's idiom: a 2-D and a 3-D view parameter, 2-D shared tiles (one with a padded stride, one Y-dense),
    /// a 3-D tile, a sub-view of a tile, and dynamic shared memory.
    /// </summary>
    internal const string SharedTiles = """
        namespace Sample;

        public static partial class Snapshots
        {
            public const int Tile = 4;

            [Kernel]
            public static void SharedTiles(ArrayView2D<float, Stride2D.DenseX> a, ArrayView3D<float, Stride3D.DenseZY> v, ArrayView<float> result)
            {
                var rows = SharedMemory.Allocate2D<float, Stride2D.DenseX>(new Index2D(Tile, Tile), new Stride2D.DenseX(Tile + 1));
                var columns = SharedMemory.Allocate2DDenseY<float>(new Index2D(Tile, Tile));
                var cube = SharedMemory.Allocate3DDenseXY<float>(new Index3D(2, 2, 2));
                var scratch = SharedMemory.GetDynamic<float>();
                int x = Group.IdxX;
                int y = Group.IdxY;
                rows[x, y] = a[new Index2D(x, y)];
                columns[new Index2D(x, y)] = v[new Index3D(x, y, 0)];
                scratch[y * Tile + x] = rows[new Index2D(y, x)];
                cube[x % 2, y % 2, 0] = 0f;
                Group.Barrier();
                var row = rows.SubView(new Index2D(0, y), new Index2D(Tile, 1));
                result[y * Tile + x] = row[new Index2D(x, 0)] + columns[y, x] + scratch[x] + cube[0, 0, 0] + v.IntExtent.Z + row.Length + scratch.Length;
            }
        }
        """;

    [TestMethod]
    public void SharedTiles_MatchesSnapshots()
    {
        var (openCL, cuda) = VerifyKernel(nameof(SharedTiles), SharedTiles);
        // The dynamic shared memory comes last: a __local argument and its bytes (OpenCL), the launch's extern bytes (CUDA).
        Assert.Contains("int v_stride_x, int v_stride_y, __global float* result_base, int result_offset, int result_len, __local uchar* gcn_dynamic_shared, int gcn_dynamic_bytes)", openCL);
        Assert.Contains("extern __shared__ float gcn_dynamic_shared[];", cuda);
        Assert.Contains("int result_len, int gcn_dynamic_bytes)", cuda);
        // A tile is as long as ILGPU's buffer for its extent and stride: the offset of its last element, plus one.
        Assert.Contains("__local float rows[19];", openCL);
        string registration = GeneratorHarness.Run(SharedTiles).Generated("Snapshots.SharedTiles.g.cs").SourceText.ToString();
        Assert.Contains("StaticSharedMemoryBytes = 172,", registration, "19 + 16 + 8 floats");
        Assert.Contains("DynamicSharedMemory = true,", registration);
    }

    [TestMethod]
    public void SpecializedTile_MatchesSnapshots()
    {
        var (openCL, cuda) = VerifyKernel(nameof(SpecializedTile), SpecializedTile);
        // No device parameter for the width: the placeholder stands where it is read, and sizes the array.
        Assert.Contains("float tile[(2 * gcn_specialized_width)] = {0};", openCL);
        Assert.DoesNotContain("int width", openCL);
        Assert.Contains("float tile[(2 * gcn_specialized_width)] = {0};", cuda);
        Assert.Contains("#pragma unroll\n    for (int j = 0; j < gcn_specialized_width; j++)", openCL);
        string twin = GeneratorHarness.Run(SpecializedTile).Generated("Sample.Snapshots.Ilgpu.g.cs").SourceText.ToString();
        Assert.Contains("global::ILGPU.Runtime.SpecializedValue<int> width", twin);
        Assert.Contains("LocalMemory.Allocate<float>((2 * width.Value))", twin);
    }

    [TestMethod]
    public void Contraction_IsOffUnlessTheKernelAllowsIt()
    {
        const string allowed = """
            namespace Sample;

            public static partial class Snapshots
            {
                [Kernel(AllowContraction = true)]
                public static void Fused(Index1D i, ArrayView<float> a, ArrayView<float> b) { b[i] = a[i] * a[i] + 1f; }
            }
            """;
        var result = GeneratorHarness.Run(allowed);
        result.AssertCleanAndCompiles();
        Assert.Contains("#pragma OPENCL FP_CONTRACT ON\n", result.DeviceSources("Snapshots.Fused").OpenCL);
        Assert.Contains("allowContraction: true", result.Generated("Snapshots.Fused.g.cs").SourceText.ToString());
        var plain = GeneratorHarness.Run(VectorAdd);
        Assert.Contains("#pragma OPENCL FP_CONTRACT OFF\n", plain.DeviceSources("Snapshots.VectorAdd").OpenCL);
        Assert.DoesNotContain("allowContraction", plain.Generated("Snapshots.VectorAdd.g.cs").SourceText.ToString());
    }

    [TestMethod]
    public void VectorAdd_MatchesSnapshots() => VerifyKernel(nameof(VectorAdd), VectorAdd);

    [TestMethod]
    public void GroupReduction_MatchesSnapshots() => VerifyKernel(nameof(GroupReduction), GroupReduction);

    [TestMethod]
    public void SharedViewFunction_MatchesSnapshots()
    {
        var (openCL, cuda) = VerifyKernel(nameof(SharedViewFunction), SharedViewFunction);
        // One specialisation per address-space combination, each defined once.
        Assert.Contains("float Snapshots_Dot_lg(__local float* x, int x_len, __global float* y, int y_len)\n{", openCL);
        Assert.Contains("float Snapshots_Dot(__global float* x, int x_len, __global float* y, int y_len)\n{", openCL);
        Assert.Contains("__device__ float Snapshots_Dot_lg(float* x, int x_len, float* y, int y_len)\n{", cuda);
    }

    [TestMethod]
    public void RegisterTile_MatchesSnapshots()
    {
        var (openCL, cuda) = VerifyKernel(nameof(RegisterTile), RegisterTile);
        Assert.Contains("float acc[16] = {0};", openCL);
        Assert.Contains("float acc[16] = {0};", cuda);
        // ILGPU cannot compile stackalloc: its twin takes LocalMemory, which is not zeroed, so it zeroes it as C# would.
        string twin = GeneratorHarness.Run(RegisterTile).Generated("Sample.Snapshots.Ilgpu.g.cs").SourceText.ToString();
        Assert.Contains("var acc = global::ILGPU.LocalMemory.Allocate<float>(16);", twin);
        Assert.Contains("acc[gcn_acc_0] = default(float);", twin);
    }

    [TestMethod]
    [DataRow(nameof(VectorAdd))]
    [DataRow(nameof(GroupReduction))]
    [DataRow(nameof(SharedViewFunction))]
    [DataRow(nameof(RegisterTile))]
    [DataRow(nameof(SpecializedTile))]
    [DataRow(nameof(SharedTiles))]
    public void DeviceCode_CompilesWithClang(string name)
    {
        var source = (string)typeof(SnapshotTests).GetField(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;
        var result = GeneratorHarness.Run(source);
        result.AssertCleanAndCompiles();
        var (openCL, cuda) = result.DeviceSources("Snapshots." + name);
        DeviceCompiler.AssertOpenCLCompiles(name, openCL);
        DeviceCompiler.AssertCudaCompiles(name, cuda);
    }

    private static (string OpenCL, string Cuda) VerifyKernel(string name, string source)
    {
        var result = GeneratorHarness.Run(source);
        result.AssertCleanAndCompiles();
        var (openCL, cuda) = result.DeviceSources("Snapshots." + name);
        Snapshot.Verify(name + ".opencl", openCL);
        Snapshot.Verify(name + ".cuda", cuda);
        Snapshot.Verify(name + ".ilgpu", result.Generated("Sample.Snapshots.Ilgpu.g.cs").SourceText.ToString(), "txt");
        return (openCL, cuda);
    }
}
