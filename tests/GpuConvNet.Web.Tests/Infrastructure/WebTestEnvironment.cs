namespace GpuConvNet.Web.Tests.Infrastructure;

/// <summary>What the web tests need from the machine: MNIST beside the repository and a Chromium to drive.</summary>
public static class WebTestEnvironment
{
    /// <summary>Under CI a missing prerequisite fails the test instead of making it Inconclusive.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The folder of the four MNIST .gz files (../shared/data/mnist beside the repository).</summary>
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
            Missing("MNIST not found in ../shared/data/mnist beside the repository");
            return "";
        }
    }

    /// <summary>
    /// The Chromium to drive: $GPUCONVNET_CHROMIUM, else Debian's chromium (browsers cannot be downloaded here, so
    /// Playwright's own are not used).
    /// </summary>
    public static string Chromium
    {
        get
        {
            var candidates = new[] { Environment.GetEnvironmentVariable("GPUCONVNET_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" };
            var found = candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
            if (found is null)
            {
                Missing("no Chromium found (install Debian's chromium package, or set GPUCONVNET_CHROMIUM)");
            }
            return found!;
        }
    }

    /// <summary>Fails under CI, where the prerequisite is installed by .ci/run; Inconclusive elsewhere.</summary>
    public static void Missing(string message)
    {
        if (UnderCi)
        {
            Assert.Fail(message);
        }
        Assert.Inconclusive(message);
    }
}

/// <summary>Points the per-user cache into the run's own folder, so no web test — nor a served or trained command line — touches the user's.</summary>
[TestClass]
public static class WebAssemblyHooks
{
    private static readonly string RunCache = Path.Combine(Path.GetTempPath(), "gpuconvnet-web-test-cache-" + Environment.ProcessId);

    /// <summary>Runs once before every test.</summary>
    [AssemblyInitialize]
    public static void Initialize(TestContext context) => Environment.SetEnvironmentVariable(GpuConvNet.Data.MnistOptions.CacheVariable, RunCache);

    /// <summary>Runs once after every test.</summary>
    [AssemblyCleanup]
    public static void Cleanup()
    {
        if (Directory.Exists(RunCache))
        {
            Directory.Delete(RunCache, recursive: true);
        }
    }
}
