namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// The MNIST copy beside the repository (../shared/data/mnist). Tests that need it are Inconclusive without it,
/// and fail under CI, where its absence means the run tests less than it claims.
/// </summary>
public static class SharedData
{
    /// <summary>The directory holding the four MNIST .gz files.</summary>
    public static string MnistDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "data", "mnist");
                if (File.Exists(Path.Combine(candidate, "t10k-labels-idx1-ubyte.gz")))
                {
                    return candidate;
                }
            }
            const string message = "MNIST not found in ../shared/data/mnist beside the repository";
            if (Backends.UnderCi)
            {
                Assert.Fail(message);
            }
            Assert.Inconclusive(message);
            return "";
        }
    }
}
