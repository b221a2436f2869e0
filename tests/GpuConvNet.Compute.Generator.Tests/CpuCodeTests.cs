using System.Reflection;
using System.Runtime.Loader;
using GpuConvNet.Compute.Cpu;
using GpuConvNet.Compute.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GpuConvNet.Compute.Generator.Tests;

/// <summary>
/// The C# half of the generated code: a grouped kernel's lane iterator (barriers become <c>yield return LINE</c>), the
/// range body of auto-grouped kernels, and the registration, which must compile and, loaded, run on the CPU accelerator.
/// </summary>
[TestClass]
public sealed class CpuCodeTests
{
    private const string LanePath = "/src/Lanes.cs";

    private const string LaneKernel = """
        namespace Sample;

        public static partial class Lanes
        {
            [Kernel]
            public static void Smooth(ArrayView<float> x, ArrayView<float> y)
            {
                var tile = SharedMemory.Allocate<float>(64);
                Span<float> window = stackalloc float[3];
                int lane = Group.IdxX;
                int i = Grid.GlobalIndex.X;
                tile[lane] = i < x.Length ? x[i] : 0f;
                Group.Barrier();
                for (int k = 0; k < 3; k++)
                {
                    int j = lane + k - 1;
                    window[k] = j >= 0 && j < Group.DimX ? tile[j] : 0f;
                }
                Group.Barrier();
                if (i >= y.Length)
                {
                    return;
                }
                y[i] = window[0] + window[1] + window[2];
            }
        }
        """;

    [TestMethod]
    public void GroupedKernel_Lane_TurnsBarriersIntoYieldReturnOfTheirLine()
    {
        var result = GeneratorHarness.Run(LaneKernel, LanePath);
        result.AssertCleanAndCompiles();
        var tree = result.Generated("Lanes.Smooth.g.cs").SyntaxTree;
        var lane = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Smooth__CpuLane");
        Assert.AreEqual("global::System.Collections.Generic.IEnumerator<int>", lane.ReturnType.ToString());

        var barrierLines = LaneKernel.Split('\n')
            .Select((line, index) => (Line: index + 1, Text: line.Trim()))
            .Where(l => l.Text == "Group.Barrier();")
            .Select(l => l.Line)
            .ToList();
        Assert.HasCount(2, barrierLines);
        var yields = lane.DescendantNodes().OfType<YieldStatementSyntax>().Where(y => y.IsKind(SyntaxKind.YieldReturnStatement)).ToList();
        CollectionAssert.AreEqual(barrierLines, yields.Select(y => int.Parse(y.Expression!.ToString(), System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            "yield return values: " + string.Join(", ", yields));
        foreach (var yield in yields)
        {
            // #line maps the lane's statements back to the kernel's lines, so that a fault names the kernel's source.
            var mapped = tree.GetMappedLineSpan(yield.Span);
            Assert.AreEqual(LanePath, mapped.Path);
            Assert.AreEqual(int.Parse(yield.Expression!.ToString(), System.Globalization.CultureInfo.InvariantCulture), mapped.StartLinePosition.Line + 1);
        }

        string body = lane.Body!.ToString();
        Assert.DoesNotContain("Group.Barrier", body);
        Assert.DoesNotContain("return;", body.Replace("yield break;", "", StringComparison.Ordinal));
        Assert.HasCount(2, lane.DescendantNodes().OfType<YieldStatementSyntax>().Where(y => y.IsKind(SyntaxKind.YieldBreakStatement)).ToList(),
            "the kernel's return and the closing yield break");
        Assert.Contains("global::GpuConvNet.Compute.Cpu.CpuLane.Shared<float>(64, ", body);
        Assert.Contains("float[] window = new float[3];", body);
        Assert.DoesNotContain("SharedMemory", body);
        Assert.DoesNotContain("stackalloc", body);
    }

    [TestMethod]
    [DataRow("Index1D i", "y[i] = x[i];", 1)]
    [DataRow("Index2D i", "y[i.Y * 8 + i.X] = x[i.X];", 2)]
    [DataRow("Index3D i", "y[(i.Z * 8 + i.Y) * 8 + i.X] = x[i.X];", 3)]
    public void AutoGroupedKernel_Registration_Compiles(string index, string body, int rank)
    {
        var result = GeneratorHarness.Run($$"""
            namespace Sample;

            public static partial class Ranges
            {
                [Kernel]
                public static void Copy({{index}}, ArrayView<float> x, ArrayView<float> y, int n)
                {
                    {{body}}
                }
            }
            """);
        result.AssertCleanAndCompiles();
        var generated = result.Generated("Ranges.Copy.g.cs");
        var tree = result.Output.SyntaxTrees.Single(t => t.FilePath == generated.SyntaxTree.FilePath);
        var model = result.Output.GetSemanticModel(tree);
        var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToDictionary(m => m.Identifier.Text);

        var range = (IMethodSymbol)model.GetDeclaredSymbol(methods["Copy__CpuRange"])!;
        Assert.AreEqual("object[], GpuConvNet.Compute.Index3D, long, long", string.Join(", ", range.Parameters.Select(p => p.Type.ToDisplayString())));
        var register = (IMethodSymbol)model.GetDeclaredSymbol(methods["Copy__Register"])!;
        Assert.IsTrue(register.GetAttributes().Any(a => a.AttributeClass?.Name == "ModuleInitializerAttribute"), "the registration is a module initializer");
        Assert.IsFalse(methods.ContainsKey("Copy__CpuLane"), "auto-grouped kernels have no lane iterator");

        var definition = tree.GetRoot().DescendantNodes().OfType<ObjectCreationExpressionSyntax>()
            .Select(n => model.GetOperation(n))
            .OfType<Microsoft.CodeAnalysis.Operations.IObjectCreationOperation>()
            .Single(o => o.Constructor?.ContainingType.Name == "KernelDefinition");
        object? Argument(string name) => definition.Arguments.Single(a => a.Parameter?.Name == name).Value.ConstantValue.Value;
        Assert.AreEqual(rank, Argument("indexRank"));
        Assert.AreEqual("Ranges_Copy", Argument("entryPoint"));
    }

    [TestMethod]
    public void VectorAdd_RunsOnTheCpuAccelerator()
    {
        var kernel = Load(SnapshotTests.VectorAdd, "Sample.Snapshots", "VectorAdd");
        var add = kernel.CreateDelegate<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>>();
        const int n = 1000;
        var a = Enumerable.Range(0, n).Select(v => v * 0.5f).ToArray();
        var b = Enumerable.Range(0, n).Select(v => 1f - v).ToArray();
        using var cpu = new CpuAccelerator();
        using var da = cpu.Allocate(a);
        using var db = cpu.Allocate(b);
        using var dc = cpu.Allocate<float>(n);
        cpu.Launch(add, new Index1D(n), da.View, db.View, dc.View);
        CollectionAssert.AreEqual(a.Zip(b, (u, v) => u + v).ToArray(), dc.ToArray());
    }

    [TestMethod]
    public void GroupReduction_RunsOnTheCpuAccelerator()
    {
        var kernel = Load(SnapshotTests.GroupReduction, "Sample.Snapshots", "GroupReduction");
        var reduce = kernel.CreateDelegate<Action<ArrayView<float>, ArrayView<float>>>();
        const int n = 1000;
        const int groupSize = 256;
        var x = Enumerable.Range(0, n).Select(v => (float)(v % 7)).ToArray();
        using var cpu = new CpuAccelerator();
        using var dx = cpu.Allocate(x);
        using var total = cpu.Allocate(new[] { 0f });
        cpu.Launch(reduce, new KernelConfig((n + groupSize - 1) / groupSize, groupSize), dx.View, total.View);
        Assert.AreEqual(x.Sum(), total.ToArray()[0]);
    }

    [TestMethod]
    public void LaneKernel_RunsOnTheCpuAccelerator()
    {
        var kernel = Load(LaneKernel, "Sample.Lanes", "Smooth");
        var smooth = kernel.CreateDelegate<Action<ArrayView<float>, ArrayView<float>>>();
        const int n = 100;
        const int groupSize = 64;
        var x = Enumerable.Range(0, n).Select(v => (float)v).ToArray();
        using var cpu = new CpuAccelerator();
        using var dx = cpu.Allocate(x);
        using var dy = cpu.Allocate<float>(n);
        cpu.Launch(smooth, new KernelConfig((n + groupSize - 1) / groupSize, groupSize), dx.View, dy.View);
        // Each lane sums its neighbours within its group; the group edges see zeros.
        var expected = Enumerable.Range(0, n).Select(i =>
        {
            int lane = i % groupSize;
            float Left() => lane > 0 ? x[i - 1] : 0f;
            float Right() => lane < groupSize - 1 && i + 1 < n ? x[i + 1] : 0f;
            return Left() + x[i] + Right();
        }).ToArray();
        CollectionAssert.AreEqual(expected, dy.ToArray());
    }

    /// <summary>Generates, compiles and loads <paramref name="source"/>; returns kernel <paramref name="type"/>.<paramref name="method"/>.</summary>
    private static MethodInfo Load(string source, string type, string method)
    {
        var result = GeneratorHarness.Run(source);
        result.AssertCleanAndCompiles();
        using var image = new MemoryStream();
        var emitted = result.Output.WithAssemblyName("Kernels_" + Guid.NewGuid().ToString("N")).Emit(image);
        Assert.IsTrue(emitted.Success, GeneratorResult.Describe(emitted.Diagnostics));
        image.Position = 0;
        // GpuConvNet.Compute resolves to the copy the tests use, so the kernel registers where the accelerator looks.
        var assembly = new AssemblyLoadContext(type + "." + method).LoadFromStream(image);
        return assembly.GetType(type, throwOnError: true)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!;
    }
}
