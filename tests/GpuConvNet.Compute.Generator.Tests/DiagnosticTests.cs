using GpuConvNet.Compute.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using static GpuConvNet.Compute.Generator.Tests.Infrastructure.KernelSource;

namespace GpuConvNet.Compute.Generator.Tests;

/// <summary>
/// One test per GCN id: each source triggers that id and no other, at the places marked [|so|], and the kernel it
/// concerns gets no generated code. The C# of every source compiles: the errors come from the generator alone.
/// </summary>
[TestClass]
public sealed class DiagnosticTests
{
    [TestMethod]
    [DataRow("public partial class Kernels { [Kernel] public void [|Run|](Index1D i, ArrayView<float> y) { y[i] = 1f; } }", DisplayName = "instance method")]
    [DataRow("public static partial class Kernels { [Kernel] public static float [|Run|](Index1D i, ArrayView<float> y) { return y[i]; } }", DisplayName = "returns a value")]
    [DataRow("public static partial class Kernels { [Kernel] public static void [|Run|]<T>(Index1D i, ArrayView<float> y) { y[i] = 1f; } }", DisplayName = "generic")]
    [DataRow("public static partial class Outer { public static partial class Kernels { [Kernel] public static void [|Run|](Index1D i, ArrayView<float> y) { y[i] = 1f; } } }", DisplayName = "nested class")]
    [DataRow("public static class Kernels { [Kernel] public static void [|Run|](Index1D i, ArrayView<float> y) { y[i] = 1f; } }", DisplayName = "class not partial")]
    [DataRow("public partial class Kernels { [Kernel] public static void [|Run|](Index1D i, ArrayView<float> y) { y[i] = 1f; } }", DisplayName = "class not static")]
    [DataRow("public static partial class Kernels { [Kernel] public static void [|Run|](Index1D i, ArrayView<float> y) => y[i] = 1f; }", DisplayName = "expression body")]
    [DataRow("public static partial class Kernels { [Kernel] public static void [|Run|](Index1D i, ArrayView<float> y) { y[i] = 1f; } public static void Run(int n) { } }", DisplayName = "overloaded")]
    [DataRow("public static partial class Kernels { [Kernel] public static void [|Run|](Index1D i, ArrayView<float> y, int a, int b, int c, int d, int e, int f, int g, int h, int j, int k, int l, int m, int n, int o) { y[i] = 1f; } }", DisplayName = "15 parameters after the index")]
    public void GCN0001_InvalidKernelDeclaration(string source) =>
        AssertReportsOnly("GCN0001", "namespace Sample;\n" + source);

    [TestMethod]
    [DataRow("ArrayView<double> [|values|]", DisplayName = "view of double")]
    [DataRow("ArrayView3D<long, Stride3D.DenseXY> [|volume|]", DisplayName = "3-D view of long")]
    [DataRow("ArrayView<long> [|values|]", DisplayName = "view of long")]
    [DataRow("double [|scale|]", DisplayName = "double scalar")]
    [DataRow("bool [|flag|]", DisplayName = "bool scalar")]
    [DataRow("float[] [|weights|]", DisplayName = "array")]
    [DataRow("ref int [|count|]", DisplayName = "ref parameter")]
    [DataRow("Index1D [|j|]", DisplayName = "index after the first parameter")]
    [DataRow("SpecializedValue<double> [|width|]", DisplayName = "specialised double")]
    public void GCN0002_UnsupportedKernelParameter(string parameter) =>
        AssertReportsOnly("GCN0002", Class($$"""
                [Kernel]
                public static void Run(Index1D i, ArrayView<float> y, {{parameter}})
                {
                    y[i] = 1f;
                }
            """));

    [TestMethod]
    [DataRow("y[i] = (float)([|double|])x[i];", "", DisplayName = "cast to double")]
    [DataRow("[|double|] d = [|x[i]|]; y[i] = (float)d;", "", DisplayName = "double local")]
    [DataRow("y[i] = [|1.5|] > [|x[i]|] ? 1f : 0f;", "", DisplayName = "double literal")]
    [DataRow("[|string|] s = [|\"gpu\"|];", "", DisplayName = "string")]
    [DataRow("[|object|] o = x[i];", "", DisplayName = "object")]
    [DataRow("", "public sealed class Box { } [KernelFunction] static float Get(Box [|box|]) => 1f;", DisplayName = "class parameter")]
    [DataRow("", "public struct Pair { public float A; } [KernelFunction] static float Get(Pair [|pair|]) => 1f;", DisplayName = "struct parameter")]
    [DataRow("", "[KernelFunction] static float First(ArrayView2D<float, Stride2D.DenseX> [|m|]) => 1f;", DisplayName = "2-D view parameter of a kernel function")]
    public void GCN0003_UnsupportedType(string body, string members) =>
        AssertReportsOnly("GCN0003", body.Length == 0 ? Class(members) : AutoGrouped(body, members));

    [TestMethod]
    public void GCN0003_AStruct_SaysWhatToPassInstead()
    {
        var result = GeneratorHarness.Run(Class("public struct Pair { public float A; } [KernelFunction] static float Get(Pair pair) => 1f;"));
        StringAssert.Contains(result.Diagnostics.Single().GetMessage(), "Type 'Sample.Kernels.Pair' cannot be used in kernel code: structs are not in the kernel language");
    }

    [TestMethod]
    [DataRow("Span<float> t = [|new float[4]|]; y[i] = 1f;", DisplayName = "array")]
    [DataRow("Span<float> t = [|[1f, 2f]|]; y[i] = 1f;", DisplayName = "collection expression")]
    [DataRow("int n = [|new Index1D(4)|]; y[i] = n;", DisplayName = "object")]
    public void GCN0004_Allocation(string body) =>
        AssertReportsOnly("GCN0004", AutoGrouped(body));

    [TestMethod]
    [DataRow("y[i] = [|Helper|](x[i]);", "static float Helper(float v) => v * 2f;", DisplayName = "method without [KernelFunction]")]
    [DataRow("[|Console.WriteLine|](x[i]);", "", DisplayName = "Console.WriteLine")]
    [DataRow("y[i] = [|MathF.Sign|](x[i]);", "", DisplayName = "MathF function without a C intrinsic")]
    [DataRow("uint u = 3u; y[i] = [|Math.Max|](u, 2u);", "", DisplayName = "Math.Max on uint")]
    public void GCN0005_CallToNonKernelFunction(string body, string members) =>
        AssertReportsOnly("GCN0005", AutoGrouped(body, members));

    [TestMethod]
    [DataRow("""
            [KernelFunction]
            static int Depth(int n) => n <= 0 ? 0 : 1 + [|Depth(n - 1)|];
        """, "Depth(i)", DisplayName = "direct")]
    [DataRow("""
            [KernelFunction]
            static int Ping(int n) => n <= 0 ? 0 : [|Pong(n - 1)|];

            [KernelFunction]
            static int Pong(int n) => n <= 0 ? 1 : [|Ping(n - 1)|];
        """, "Ping(i)", DisplayName = "through two functions")]
    public void GCN0006_Recursion(string functions, string call) =>
        AssertReportsOnly("GCN0006", AutoGrouped("y[i] = " + call + ";", functions));

    [TestMethod]
    [DataRow("if (i >= x.Length) { [|throw|] new InvalidOperationException(); } y[i] = x[i];", DisplayName = "throw statement")]
    [DataRow("[|try|] { y[i] = x[i]; } finally { y[i] += 1f; }", DisplayName = "try statement")]
    [DataRow("y[i] = i < x.Length ? x[i] : [|throw new InvalidOperationException()|];", DisplayName = "throw expression")]
    public void GCN0007_ThrowInKernel(string body) =>
        AssertReportsOnly("GCN0007", AutoGrouped(body));

    [TestMethod]
    [DataRow("y[i] = x[i]; float [|Twice|](float v) => v * 2f;", "", DisplayName = "local function")]
    [DataRow("y[i] = [|Twice|](x[i]); float [|Twice|](float v) => v * 2f;", "", DisplayName = "local function called")]
    [DataRow("[|Func<float, float>|] twice = [|v => v * 2f|]; y[i] = [|twice|](x[i]);", "", DisplayName = "lambda")]
    [DataRow("[|Func<float, float>|] f = [|delegate (float v) { return v; }|]; y[i] = [|f|](x[i]);", "", DisplayName = "anonymous method")]
    [DataRow("[|Func<float, float>|] f = [|Twice|]; y[i] = [|f|](x[i]);", "static float Twice(float v) => v * 2f;", DisplayName = "method group")]
    public void GCN0008_LambdaDelegateOrLocalFunction(string body, string members) =>
        AssertReportsOnly("GCN0008", AutoGrouped(body, members));

    [TestMethod]
    [DataRow("y[i] = [|Enumerable.Range(0, 4).Sum|]();", DisplayName = "method syntax")]
    [DataRow("y[i] = [|(from v in Enumerable.Range(0, 4) where v % 2 == 0 select v).Count|]();", DisplayName = "query syntax")]
    [DataRow("Span<float> t = stackalloc float[4]; y[i] = [|t.ToArray().Max|]();", DisplayName = "on a span's copy")]
    public void GCN0009_Linq(string body) =>
        AssertReportsOnly("GCN0009", AutoGrouped(body, usings: "using System.Linq;"));

    [TestMethod]
    [DataRow("Span<float> t = stackalloc float[4]; [|foreach|] (float v in t) { y[i] += v; }", DisplayName = "foreach")]
    [DataRow("[|switch|] (i.X) { case 0: y[i] = 1f; break; default: y[i] = x[i]; break; }", DisplayName = "switch")]
    [DataRow("[|checked|] { y[i] = x[i] + 1f; }", DisplayName = "checked block")]
    [DataRow("[|goto|] done; [|done|]: y[i] = 1f;", DisplayName = "goto and label")]
    [DataRow("[|using|] var stream = new System.IO.MemoryStream(); y[i] = 1f;", DisplayName = "using declaration")]
    [DataRow("[|lock|] (typeof(Kernels)) { y[i] = 1f; }", DisplayName = "lock")]
    [DataRow("float v = x[i]; [|ref float|] r = ref v; y[i] = r;", DisplayName = "ref local other than a shared element")]
    public void GCN0010_UnsupportedStatement(string body) =>
        AssertReportsOnly("GCN0010", AutoGrouped(body));

    [TestMethod]
    [DataRow("y[i] = (float)(i [|>>>|] 1);", DisplayName = ">>> operator")]
    [DataRow("y[i] = MathF.Max[|(y: x[i], x: 0f)|];", DisplayName = "named arguments")]
    [DataRow("[|x.SubView(1)|];", DisplayName = "SubView not stored or passed")]
    [DataRow("y[i] = [|x[i] is > 0f|] ? x[i] : 0f;", DisplayName = "pattern")]
    [DataRow("y[i] = [|checked(x[i] + 1f)|];", DisplayName = "checked expression")]
    [DataRow("ArrayView<float> z = [|default|]; y[i] = 1f;", DisplayName = "view from default")]
    public void GCN0011_UnsupportedExpression(string body) =>
        AssertReportsOnly("GCN0011", AutoGrouped(body));

    [TestMethod]
    [DataRow("m[|[default]|] = 1f;", DisplayName = "2-D view indexed with default")]
    [DataRow("var t = [|m.SubView(new Index2D(0, 0), m.IntExtent).SubView(new Index2D(1, 1), new Index2D(1, 1))|]; m[new Index2D(0, 0)] = t[new Index2D(0, 0)];", DisplayName = "2-D view local from a call")]
    [DataRow("var t = m.SubView[|(default, m.IntExtent)|]; m[new Index2D(0, 0)] = t[new Index2D(0, 0)];", DisplayName = "SubView from default")]
    public void GCN0011_UnsupportedExpression_OnA2DView(string body) =>
        AssertReportsOnly("GCN0011", Class("[Kernel] public static void Run(Index1D i, ArrayView2D<float, Stride2D.DenseX> m) { " + body + " }"));

    [TestMethod]
    [DataRow("var tile = SharedMemory.Allocate<float>([|n|]); y[0] = x[0];", DisplayName = "shared array of parameter size")]
    [DataRow("var tile = SharedMemory.Allocate<float>([|0|]); y[0] = x[0];", DisplayName = "shared array of size 0")]
    [DataRow("Span<float> acc = stackalloc float[[|n|]]; y[0] = x[0];", DisplayName = "private array of parameter size")]
    [DataRow("Span<float> acc = stackalloc float[[|x.Length|]]; y[0] = x[0];", DisplayName = "private array of view length")]
    [DataRow("Span<float> acc = stackalloc float[[|0|]]; y[0] = x[0];", DisplayName = "private array of size 0")]
    [DataRow("var tile = SharedMemory.Allocate2D<float, Stride2D.DenseX>([|new Index2D(n, 4)|], new Stride2D.DenseX(4)); y[0] = x[0];", DisplayName = "2-D tile of parameter extent")]
    [DataRow("var tile = SharedMemory.Allocate2D<float, Stride2D.DenseY>(new Index2D(4, 4), [|new Stride2D.DenseY(n)|]); y[0] = x[0];", DisplayName = "2-D tile of parameter stride")]
    [DataRow("var tile = SharedMemory.Allocate3DDenseXY<int>([|new Index3D(2, 0, 2)|]); y[0] = x[0];", DisplayName = "3-D tile of an empty extent")]
    public void GCN0012_NonConstantArraySize(string body) =>
        AssertReportsOnly("GCN0012", Grouped(body));

    [TestMethod]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<float> y) { [|Group.Barrier()|]; y[i] = 1f; }", DisplayName = "Barrier in an auto-grouped kernel")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<float> y) { y[i] = [|Group.IdxX|]; }", DisplayName = "Group.IdxX in an auto-grouped kernel")]
    [DataRow("[Kernel] public static void Run(Index2D i, ArrayView<float> y) { y[i.X] = [|Grid.GlobalIndex.X|]; }", DisplayName = "Grid.GlobalIndex in an auto-grouped kernel")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<float> y) { var tile = [|SharedMemory.Allocate<float>(64)|]; y[i] = 1f; }", DisplayName = "SharedMemory in an auto-grouped kernel")]
    [DataRow("[KernelFunction] static void Sync() { [|Group.Barrier()|]; } [Kernel] public static void Run(Index1D i, ArrayView<float> y) { Sync(); y[i] = 1f; }", DisplayName = "Barrier in a KernelFunction that an auto-grouped kernel reaches")]
    [DataRow("[KernelFunction] static float Wait(float v) { Group.Barrier(); return v; } [Kernel] public static void Run(ArrayView<float> y) { y[0] = 1f + [|Wait(2f)|]; }", DisplayName = "group function inside an expression")]
    [DataRow("[KernelFunction] static float Wait(float v) { Group.Barrier(); return v; } [KernelFunction] static float Twice(float v) { float w = Wait(v); return w * 2f; } [Kernel] public static void Run(ArrayView<float> y) { if (y.Length > 0) y[0] = [|Twice(1f)|]; }", DisplayName = "group function reached through another, outside a block")]
    [DataRow("[KernelFunction] static float First(ArrayView<float> x) { var t = [|SharedMemory.Allocate<float>(4)|]; return x[0]; }", DisplayName = "SharedMemory in a KernelFunction")]
    [DataRow("[Kernel] public static void Run(ArrayView<float> y) { [|SharedMemory.Allocate<float>(4)|]; y[0] = 1f; }", DisplayName = "SharedMemory not initialising a local")]
    [DataRow("[Kernel] public static void Run(ArrayView<int> y) { if ([|Group.BarrierAnd(y[0] > 0)|]) y[0] = 1; }", DisplayName = "group collective outside a statement of its own")]
    [DataRow("[KernelFunction] static int Count(bool p) { int n = [|Group.BarrierPopCount(p)|]; return n; } [Kernel] public static void Run(ArrayView<int> y) { int n = Count(y[0] > 0); y[0] = n; }", DisplayName = "group collective in a KernelFunction")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<int> y) { int v = [|Group.Broadcast(y[i], 0)|]; y[i] = v; }", DisplayName = "group collective in an auto-grouped kernel")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<int> y) { y[i] = [|Warp.LaneIdx|]; }", DisplayName = "Warp.LaneIdx in an auto-grouped kernel")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<int> y) { int v = [|Warp.ShuffleDown(y[i], 1)|]; y[i] = v; }", DisplayName = "warp shuffle in an auto-grouped kernel")]
    [DataRow("[Kernel] public static void Run(ArrayView<int> y) { y[Group.IdxX] = 1 + [|Warp.ShuffleXor(y[Group.IdxX], 1)|]; }", DisplayName = "warp shuffle inside an expression")]
    [DataRow("[KernelFunction] static float Total(float v) { float t = [|WarpExtensions.AllReduce<float, AddFloat>(v)|]; return t; } [Kernel] public static void Run(ArrayView<float> y) { float t = Total(y[0]); y[0] = t; }", DisplayName = "warp reduction in a KernelFunction")]
    [DataRow("[Kernel] public static void Run(ArrayView<int> y) { if (y[0] > 0) [|GroupExtensions.ExclusiveScan<int, AddInt32>(y[0])|]; }", DisplayName = "group scan outside a block")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<int> y) { var d = [|SharedMemory.GetDynamic<int>()|]; y[i] = 1; }", DisplayName = "GetDynamic in an auto-grouped kernel")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<float> y) { var t = [|SharedMemory.Allocate2DDenseX<float>(new Index2D(4, 4))|]; y[i] = 1f; }", DisplayName = "2-D tile in an auto-grouped kernel")]
    [DataRow("[Kernel] public static void Run(ArrayView<int> y) { [|SharedMemory.GetDynamic<int>()|]; y[0] = 1; }", DisplayName = "GetDynamic not initialising a local")]
    public void GCN0013_GroupFeatureMisuse(string members) =>
        AssertReportsOnly("GCN0013", Class(members));

    [TestMethod]
    [DataRow("y[i] = [|Scale|] * x[i];", "static float Scale = 2f;", DisplayName = "static field")]
    [DataRow("y[i] = [|Bias|];", "static float Bias => 0.5f;", DisplayName = "static property")]
    [DataRow("y[i] = [|x.Offset|];", "", DisplayName = "view property other than Length")]
    [DataRow("y[i] = [|Environment.ProcessorCount|];", "", DisplayName = "framework property")]
    public void GCN0014_NonConstantMember(string body, string members) =>
        AssertReportsOnly("GCN0014", AutoGrouped(body, members));

    [TestMethod]
    [DataRow("public sealed class Ops { [KernelFunction] public float [|Twice|](float v) => v * 2f; }", DisplayName = "instance method")]
    [DataRow("public static class Ops { [KernelFunction] public static T [|Same|]<T>(T v) => v; }", DisplayName = "generic")]
    [DataRow("public static partial class Kernels { [KernelFunction] static T [|Same|]<T>(T v) => v; [Kernel] public static void Run(Index1D i, ArrayView<float> y) { y[i] = Same(1f); } }", DisplayName = "generic, called by a kernel")]
    [DataRow("public static class Ops { [KernelFunction] public static extern float [|Native|](float v); }", DisplayName = "no body")]
    [DataRow("public sealed class Ops { [KernelFunction] public float [|Twice|](float v) => v * 2f; } public static partial class Kernels { [Kernel] public static void Run(Index1D i, ArrayView<float> y) { y[i] = new Ops().Twice(y[i]); } }", DisplayName = "instance method, called by a kernel")]
    [DataRow("public static partial class Kernels { [KernelFunction] static extern float [|Native|](float v); [Kernel] public static void Run(Index1D i, ArrayView<float> y) { y[i] = Native(y[i]); } }", DisplayName = "no body, called by a kernel")]
    [DataRow("public static class Ops { [KernelFunction] public static ArrayView<float> [|Tail|](ArrayView<float> x) => x.SubView(1); }", DisplayName = "returns a view")]
    [DataRow("public static class Ops { [KernelFunction] public static Span<float> [|Same|](Span<float> s) => s; }", DisplayName = "returns a span")]
    [DataRow("public static partial class Kernels { [KernelFunction] static void Clear(ref float [|v|]) { v = 0f; } [Kernel] public static void Run(Index1D i, ArrayView<float> y) { float v = 1f; Clear(ref v); y[i] = v; } }", DisplayName = "ref parameter, called by a kernel")]
    public void GCN0015_InvalidKernelFunction(string source) =>
        AssertReportsOnly("GCN0015", "namespace Sample;\n" + source);

    [TestMethod]
    [DataRow("y[i] = [|MathF.FusedMultiplyAdd|](x[i], 2f, 1f);", DisplayName = "MathF.FusedMultiplyAdd")]
    public void GCN0016_NoIlgpuForm(string body) =>
        AssertReportsOnly("GCN0016", AutoGrouped(body));

    [TestMethod]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<float> y, SpecializedValue<int> width) { y[i] = Scale([|width|]); } [KernelFunction] static float Scale(SpecializedValue<int> [|w|]) => w;", DisplayName = "passed to a kernel function")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<float> y, int n) { y[i] = [|SpecializedValue.New(n)|]; }", DisplayName = "created from a non-constant argument")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<float> y, int n) { y[i] = [|new SpecializedValue<int>(n)|].Value; }", DisplayName = "constructed in kernel code")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<float> y, SpecializedValue<int> width) { [|SpecializedValue<int>|] copy = [|width|]; y[i] = 1f; }", DisplayName = "stored in a local")]
    [DataRow("[Kernel] public static void Run(Index1D i, ArrayView<float> y, SpecializedValue<int> width) { y[i] = [|width|] == [|width|] ? 1f : 0f; }", DisplayName = "compared whole")]
    public void GCN0017_SpecializedValueMisuse(string members) =>
        AssertReportsOnly("GCN0017", Class(members));

    [TestMethod]
    [DataRow("y[0] = [|ILGPU.Group.IdxX|];", "GpuConvNet.Compute.Group.IdxX", DisplayName = "ILGPU's Group: ours has it")]
    [DataRow("y[0] = [|ILGPU.Warp.LaneIdx|];", "GpuConvNet.Compute.Warp.LaneIdx", DisplayName = "ILGPU's Warp: ours has it")]
    [DataRow("y[0] = [|ILGPU.Algorithms.GroupExtensions.Reduce<float, ILGPU.Algorithms.ScanReduceOperations.AddFloat>|](x[0]);", "GpuConvNet.Compute.GroupExtensions.Reduce", DisplayName = "ILGPU.Algorithms' GroupExtensions: ours has it")]
    [DataRow("y[0] = [|ILGPU.Algorithms.XMath.Sqrt|](x[0]);", "use MathF", DisplayName = "XMath: MathF")]
    [DataRow("[|ILGPU.SharedMemory.Allocate1D<float>|](4); y[0] = 1f;", "SharedMemory.Allocate<T>(n)", DisplayName = "ILGPU's SharedMemory.Allocate1D: Allocate")]
    [DataRow("[|ILGPU.SharedMemory.GetDynamic<float>|](); y[0] = 1f;", "GpuConvNet.Compute.SharedMemory.GetDynamic", DisplayName = "ILGPU's GetDynamic: ours has it")]
    public void GCN0018_IlgpuMember(string body, string advice)
    {
        AssertReportsOnly("GCN0018", Grouped(body));
        var result = GeneratorHarness.Run(Grouped(body.Replace("[|", "", StringComparison.Ordinal).Replace("|]", "", StringComparison.Ordinal)));
        StringAssert.Contains(result.Diagnostics.Single().GetMessage(), advice);
    }

    [TestMethod]
    [DataRow("var a = SharedMemory.GetDynamic<float>(); var b = [|SharedMemory.GetDynamic<int>()|]; y[0] = a[0] + b[0];", DisplayName = "float, then int")]
    public void GCN0021_DynamicSharedElementTypes(string body)
    {
        AssertReportsOnly("GCN0021", Grouped(body));
        var result = GeneratorHarness.Run(Grouped(body.Replace("[|", "", StringComparison.Ordinal).Replace("|]", "", StringComparison.Ordinal)));
        StringAssert.Contains(result.Diagnostics.Single().GetMessage(), "read it as float, or allocate the other array with SharedMemory.Allocate<int>(a constant)");
    }

    [TestMethod]
    [DataRow("public class Program { static float Half(float v) => v / 2f; static void Run(ArrayView<float> y) { float h = [|Half(y[Group.IdxX])|]; Group.Barrier(); y[Group.IdxX] = h; } public static void Load(Accelerator a) => a.LoadStreamKernel<ArrayView<float>>(Run); }", DisplayName = "private helper of a plain class, grouped kernel")]
    public void GCN0019_PrivateFunctionBeside(string source) =>
        AssertReportsOnly("GCN0019", "namespace Sample;\n" + source);

    [TestMethod]
    [DataRow("[Kernel] public static void Run(ArrayView<float> y) { float m = [|GroupExtensions.AllReduce<float, Largest>(y[Group.IdxX])|]; y[0] = m; } public struct Largest : IScanReduceOperation<float> { public float Identity => 0f; public float Apply(float a, float b) => a > b ? a : b; }", "own operations", DisplayName = "a reduction operation of the user's")]
    [DataRow("[Kernel] public static void Run(ArrayView<float> y) { [|WarpExtensions.Reduce<double, AddDouble>(y[Group.IdxX])|]; }", "fp64", DisplayName = "a double reduction")]
    [DataRow("[Kernel] public static void Run(ArrayView<int> y) { bool b = [|Warp.Shuffle(y[Group.IdxX] > 0, 0)|]; y[0] = b ? 1 : 0; }", "convert the value", DisplayName = "a bool shuffle")]
    public void GCN0020_CollectiveWithoutDeviceForm(string members, string advice)
    {
        AssertReportsOnly("GCN0020", Class(members));
        var result = GeneratorHarness.Run(Class(members.Replace("[|", "", StringComparison.Ordinal).Replace("|]", "", StringComparison.Ordinal)));
        StringAssert.Contains(result.Diagnostics.Single().GetMessage(), advice);
    }

    [TestMethod]
    public void LoadedKernel_InAPlainClass_CompilesWithItsHelpers()
    {
        // As an ILGPU program writes it: no attributes, a private kernel and helper in an ordinary class, a const.
        var result = GeneratorHarness.Run("""
            namespace Sample;
            public class Program
            {
                const int Scale = 3;
                static int Twice(int v) => 2 * v;
                static void Fill(Index1D i, ArrayView<int> data) { data[i] = Twice(i) * Scale; }
                internal static int Both(int v) => v + 1;
                static void Grouped(ArrayView<int> data) { int v = Both(Group.IdxX) * Scale; Group.Barrier(); data[Group.IdxX] = v; }
                public static void Load(Accelerator a)
                {
                    a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>>(Fill);
                    a.LoadStreamKernel<ArrayView<int>>(Grouped);
                }
            }
            """);
        result.AssertCleanAndCompiles();
        Assert.IsTrue(result.GeneratedSources.Any(s => s.SourceText.ToString().Contains("static partial class Program__Kernels", StringComparison.Ordinal)),
            "the generated code lives beside Program");
    }

    [TestMethod]
    public void AnIlgpuProgram_WithIlgpusUsingLines_CompilesWhereIlgpuHasAnExternAlias()
    {
        // IlgpuSource.targets: ILGPU's names mean this library's (global using), ILGPU itself is reached as ilgpu::.
        var result = GeneratorHarness.Run([(GeneratorHarness.DefaultPath, """
            using ILGPU;
            using ILGPU.Runtime;
            using ILGPU.Runtime.CPU;

            namespace Sample;
            public class Program
            {
                static void Add(Index1D i, ArrayView<float> data, ArrayView2D<float, Stride2D.DenseX> m) { data[i] += m[new Index2D(i, 0)]; }
                public static void Main()
                {
                    using var context = Context.CreateDefault();
                    using var accelerator = context.GetPreferredDevice(preferCPU: true).CreateAccelerator(context);
                    accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView2D<float, Stride2D.DenseX>>(Add);
                }
            }
            """)], ilgpuAlias: "ilgpu");
        result.AssertCleanAndCompiles();
        string twins = result.Generated("Sample.Program.Ilgpu.g.cs").SourceText.ToString();
        Assert.Contains("extern alias ilgpu;", twins);
        Assert.Contains("ilgpu::ILGPU.ArrayView<float>", twins);
        Assert.DoesNotContain("global::ILGPU", twins);
    }

    [TestMethod]
    public void GCN0018_IlgpuParameterType_NamesTheReplacement()
    {
        const string source = "[Kernel] public static void Run(Index1D i, ILGPU.Runtime.ArrayView2D<float, ILGPU.Stride2D.DenseX> [|m|]) { }";
        AssertReportsOnly("GCN0018", Class(source));
        var result = GeneratorHarness.Run(Class(source.Replace("[|", "", StringComparison.Ordinal).Replace("|]", "", StringComparison.Ordinal)));
        StringAssert.Contains(result.Diagnostics.Single().GetMessage(), "the kernel language has GpuConvNet.Compute.ArrayView2D");
    }

    [TestMethod]
    public void SpecializedSize_IsAccepted_ParameterSizeIsNot()
    {
        // A private array sized by a specialised value compiles (its size is a constant in each program); by a
        // plain parameter it is GCN0012, whose message says how to fix it.
        GeneratorHarness.Run(Class("[Kernel] public static void Run(Index1D i, ArrayView<float> y, SpecializedValue<int> width) { Span<float> a = stackalloc float[2 * width.Value]; y[i] = a[0]; }"))
            .AssertCleanAndCompiles();
        var refused = GeneratorHarness.Run(Class("[Kernel] public static void Run(Index1D i, ArrayView<float> y, int width) { Span<float> a = stackalloc float[2 * width]; y[i] = 1f; }"));
        Assert.AreEqual("GCN0012", refused.Diagnostics.Single().Id);
        StringAssert.Contains(refused.Diagnostics.Single().GetMessage(), "SpecializedValue");
    }

    /// <summary>A kernel and a function using most of the language: constants, loops, private arrays, Math, casts.</summary>
    private static readonly string ValidKernel = Class("""
                const int Taps = 3;
                const float Half = 0.5f;

                [KernelFunction]
                static float Relu(float v) => MathF.Max(v, 0f);

                [Kernel]
                public static void Run(Index2D index, ArrayView<float> input, ArrayView<float> output, int width, uint seed, long total)
                {
                    int col = index.X;
                    int row = index.Y;
                    Span<float> taps = stackalloc float[] { 0.25f, Half, 0.25f };
                    float sum = 0f;
                    for (int t = 0; t < Taps; t++)
                    {
                        int c = Math.Min(Math.Max(col + t - 1, 0), width - 1);
                        sum += taps[t] * input[row * width + c];
                    }
                    uint hash = seed ^ (uint)col;
                    hash = hash * 747796405u + 2891336453u;
                    long position = (long)row * width + col;
                    bool inside = position < total && (hash & 1u) == 0u;
                    int k = 0;
                    while (k < 2)
                    {
                        k++;
                    }
                    do
                    {
                        sum -= 0f;
                    }
                    while (false);
                    output[(int)position] = inside ? Relu(sum) : -MathF.Abs(sum) / (float)k;
                }
            """);

    [TestMethod]
    public void ValidKernel_ProducesNoDiagnostics()
    {
        var result = GeneratorHarness.Run(ValidKernel);
        result.AssertCleanAndCompiles();
        Assert.HasCount(2, result.GeneratedSources, "the registration and the class's ILGPU twins");
    }

    [TestMethod]
    public void ValidKernel_DeviceCode_CompilesWithClang()
    {
        var (openCL, cuda) = GeneratorHarness.Run(ValidKernel).DeviceSources("Kernels.Run");
        DeviceCompiler.AssertOpenCLCompiles("Kernels.Run", openCL);
        DeviceCompiler.AssertCudaCompiles("Kernels.Run", cuda);
    }

    [TestMethod]
    public void EveryDiagnosticId_HasATest()
    {
        var ids = Descriptors().Select(d => d.Id).ToList();
        Assert.HasCount(21, ids, "GCN ids: " + string.Join(", ", ids));
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name.Split('_')[0]).ToHashSet();
        foreach (var id in ids)
        {
            Assert.Contains(id, tested, $"{id} has no test named {id}_…");
        }
    }

    [TestMethod]
    public void EveryDiagnosticId_IsDocumentedInTheReadme()
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Generator.README.md"));
        foreach (var descriptor in Descriptors())
        {
            // helpLinkUri points at README.md#gcn00xx: the anchor must exist, in the table row of that id and title.
            string row = $"| <a id=\"{descriptor.Id.ToLowerInvariant()}\"></a>{descriptor.Id} | {descriptor.Title} |";
            Assert.Contains(row, readme, $"README.md has no row starting {row}");
            Assert.AreEqual(
                "https://github.com/gpuconvnet/gpuconvnet/blob/main/src/GpuConvNet.Compute.Generator/README.md#" + descriptor.Id.ToLowerInvariant(),
                descriptor.HelpLinkUri);
        }
    }

    private static List<DiagnosticDescriptor> Descriptors() =>
        [.. typeof(Diagnostics).GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal)];

    /// <summary>
    /// Runs the generator on <paramref name="markedSource"/> and checks that it reports exactly the marked spans, each as
    /// <paramref name="id"/>, an error with the README as its help link, and generates no code.
    /// </summary>
    private static void AssertReportsOnly(string id, string markedSource)
    {
        var (source, spans) = Markup.Parse(markedSource);
        Assert.IsNotEmpty(spans, "the test source marks no location");
        var result = GeneratorHarness.Run(source);
        var text = SourceText.From(source);
        string At(int line, TextSpan span) => $"{id} at line {line + 1}: '{text.ToString(span)}'";

        var expected = spans.Select(s => At(text.Lines.GetLinePosition(s.Start).Line, s)).Order(StringComparer.Ordinal).ToList();
        var actual = result.Diagnostics
            .Select(d => $"{d.Id} at line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: '{text.ToString(d.Location.SourceSpan)}'")
            .Order(StringComparer.Ordinal)
            .ToList();
        string all = "reported:\n" + GeneratorResult.Describe(result.Diagnostics);
        CollectionAssert.AreEqual(expected, actual, all);
        foreach (var diagnostic in result.Diagnostics)
        {
            Assert.AreEqual(DiagnosticSeverity.Error, diagnostic.Severity, all);
            Assert.AreEqual(GeneratorHarness.DefaultPath, diagnostic.Location.SourceTree?.FilePath, all);
            Assert.EndsWith("README.md#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri, all);
            string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.IsFalse(string.IsNullOrWhiteSpace(message) || message.Contains("{0}", StringComparison.Ordinal), "message: " + message);
        }
        Assert.IsEmpty(result.GeneratedSources, "generated: " + string.Join(", ", result.GeneratedSources.Select(s => s.HintName)));
        Assert.IsEmpty(result.CompilationErrors, GeneratorResult.Describe(result.CompilationErrors));
    }
}
