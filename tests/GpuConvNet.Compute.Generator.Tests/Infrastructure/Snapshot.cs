using System.Runtime.CompilerServices;

namespace GpuConvNet.Compute.Generator.Tests.Infrastructure;

/// <summary>
/// Compares generated text with <c>Snapshots/&lt;name&gt;.verified.c</c>. On a mismatch it writes
/// <c>&lt;name&gt;.received.c</c> next to it and fails with the first differing line; with
/// <c>GPUCONVNET_UPDATE_SNAPSHOTS=1</c> it overwrites the verified file instead (review the diff before committing).
/// </summary>
internal static class Snapshot
{
    public const string UpdateVariable = "GPUCONVNET_UPDATE_SNAPSHOTS";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>
    /// Checks <paramref name="actual"/> against snapshot <paramref name="name"/> (e.g. "VectorAdd.opencl"), a file ending
    /// in .verified.<paramref name="extension"/> (C# snapshots end in .txt, so that the test project does not compile them).
    /// </summary>
    public static void Verify(string name, string actual, string extension = "c")
    {
        actual = Normalize(actual);
        string directory = Directory();
        string verified = Path.Combine(directory, name + ".verified." + extension);
        string received = Path.Combine(directory, name + ".received." + extension);
        if (Updating)
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        if (!File.Exists(verified))
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"no snapshot {verified}. Review {received}, then rename it to .verified.{extension} or run the tests with {UpdateVariable}=1.");
        }
        string expected = Normalize(File.ReadAllText(verified));
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail($"{name} differs from its snapshot: {FirstDifference(expected, actual)}\n" +
            $"Compare: diff {verified} {received}\n" +
            $"If the change is intended, review it and accept it with {UpdateVariable}=1 (or copy the received file over the verified one).");
    }

    /// <summary>
    /// The Snapshots folder of the source tree when it is where it was at build time (so that updates land in the
    /// repository), else the copy in the output folder.
    /// </summary>
    private static string Directory()
    {
        string? project = Path.GetDirectoryName(Path.GetDirectoryName(ThisFile()));
        string source = project is null ? "" : Path.Combine(project, "Snapshots");
        return System.IO.Directory.Exists(source) ? source : Path.Combine(AppContext.BaseDirectory, "Snapshots");
    }

    /// <summary>This file's build-time path: Infrastructure/ of the test project.</summary>
    private static string ThisFile([CallerFilePath] string path = "") => path;

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end of file>";
            string al = i < a.Length ? a[i] : "<end of file>";
            if (el != al)
            {
                return $"line {i + 1}\n  expected: {el}\n  received: {al}";
            }
        }
        return "(same lines)";
    }
}
