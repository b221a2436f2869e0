namespace GpuConvNet.Compute.Generator.Tests.Infrastructure;

/// <summary>Test sources: a kernel class in a namespace, around a kernel body or around members.</summary>
internal static class KernelSource
{
    /// <summary>
    /// <c>Sample.Kernels</c> with an auto-grouped kernel <c>Run(Index1D i, ArrayView&lt;float&gt; x, ArrayView&lt;float&gt; y)</c>
    /// whose body is <paramref name="body"/>, and <paramref name="members"/> beside it.
    /// </summary>
    public static string AutoGrouped(string body, string members = "", string usings = "") => Class($$"""
            [Kernel]
            public static void Run(Index1D i, ArrayView<float> x, ArrayView<float> y)
            {
                {{body}}
            }
        {{members}}
        """, usings);

    /// <summary>
    /// <c>Sample.Kernels</c> with an explicitly grouped kernel <c>Run(ArrayView&lt;float&gt; x, ArrayView&lt;float&gt; y, int n)</c>
    /// whose body is <paramref name="body"/>, and <paramref name="members"/> beside it.
    /// </summary>
    public static string Grouped(string body, string members = "") => Class($$"""
            [Kernel]
            public static void Run(ArrayView<float> x, ArrayView<float> y, int n)
            {
                {{body}}
            }
        {{members}}
        """);

    /// <summary><c>public static partial class Sample.Kernels</c> holding <paramref name="members"/>.</summary>
    public static string Class(string members, string usings = "") => $$"""
        {{usings}}
        namespace Sample;

        public static partial class Kernels
        {
        {{members}}
        }

        """;
}
