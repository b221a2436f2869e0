using System.Security.Cryptography;
using GpuConvNet.Data;
using GpuConvNet.Datasets;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Data;

/// <summary>Where MNIST is looked for, and the download into the cache from loopback mirrors with fallback.</summary>
[TestClass]
public sealed class MnistLocatorTests
{
    private static readonly TimeSpan ShortStall = TimeSpan.FromSeconds(2);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Load_FromDataDirectory_ReadsBothSets()
    {
        var data = MnistDataset.Load(new MnistOptions { DataDirectory = SharedData.MnistDirectory, CacheDirectory = "/nonexistent", Mirrors = [] });
        Assert.AreEqual(60000, data.Train.Count);
        Assert.AreEqual(10000, data.Test.Count);
        Assert.AreEqual(SharedData.MnistDirectory, data.Directory);
    }

    [TestMethod]
    public void Locate_DataDirectoryWinsOverEnvironmentAndCache()
    {
        using var empty = new TempDirectory();
        var paths = Mnist.Locate(new MnistOptions
        {
            DataDirectory = SharedData.MnistDirectory,
            EnvironmentDirectory = empty.Path,
            CacheDirectory = empty.Path,
            Mirrors = [],
        });
        Assert.AreEqual(Path.Combine(SharedData.MnistDirectory, "t10k-labels-idx1-ubyte.gz"), paths.TestLabels);
    }

    [TestMethod]
    public void Locate_EnvironmentDirectoryWinsOverCache()
    {
        using var empty = new TempDirectory();
        var paths = Mnist.Locate(new MnistOptions { EnvironmentDirectory = SharedData.MnistDirectory, CacheDirectory = empty.Path, Mirrors = [] });
        Assert.AreEqual(SharedData.MnistDirectory, paths.Directory);
    }

    [TestMethod]
    public void Locate_UserFolderWithUncompressedDottedNames_IsAccepted()
    {
        using var dir = new TempDirectory();
        foreach (var file in MnistFile.All)
        {
            // The dotted, uncompressed names some mirrors (and Kaggle) use.
            File.WriteAllBytes(dir.File(file.AlternativeNames[2]), []);
        }
        var paths = Mnist.Locate(new MnistOptions { DataDirectory = dir.Path, CacheDirectory = dir.Path, Mirrors = [] });
        Assert.AreEqual(dir.File("train-images.idx3-ubyte"), paths.TrainImages);
    }

    [TestMethod]
    public void Locate_DataDirectoryMissingFiles_ListsThem()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(SharedData.MnistDirectory, "train-labels-idx1-ubyte.gz"), dir.File("train-labels-idx1-ubyte.gz"));
        var error = Assert.ThrowsExactly<UserInputException>(() =>
            Mnist.Locate(new MnistOptions { DataDirectory = dir.Path, CacheDirectory = dir.Path, Mirrors = [] }));
        StringAssert.Contains(error.Message, $"--data {dir.Path}: missing train-images-idx3-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz");
    }

    [TestMethod]
    public void Locate_EnvironmentDirectoryThatDoesNotExist_NamesTheVariable()
    {
        var error = Assert.ThrowsExactly<UserInputException>(() =>
            Mnist.Locate(new MnistOptions { EnvironmentDirectory = "/no/such/mnist", CacheDirectory = "/tmp", Mirrors = [] }));
        StringAssert.Contains(error.Message, "GPUCONVNET_DATA=/no/such/mnist: no such folder");
    }

    [TestMethod]
    public void FromEnvironment_ReadsDataCacheAndMirrorVariables()
    {
        var variables = new Dictionary<string, string>
        {
            ["GPUCONVNET_DATA"] = "/data/mnist",
            ["XDG_CACHE_HOME"] = "/home/u/.cache",
            ["GPUCONVNET_MNIST_MIRRORS"] = "http://127.0.0.1:8000/a, https://example.org/mnist/",
        };
        var options = MnistOptions.FromEnvironment(null, name => variables.GetValueOrDefault(name));
        Assert.IsNull(options.DataDirectory);
        Assert.AreEqual("/data/mnist", options.EnvironmentDirectory);
        Assert.AreEqual(Path.Combine("/home/u/.cache", "gpuconvnet", "mnist"), options.CacheDirectory);
        CollectionAssert.AreEqual(new[] { new Uri("http://127.0.0.1:8000/a/"), new Uri("https://example.org/mnist/") }, options.Mirrors.ToArray());
    }

    [TestMethod]
    public void FromEnvironment_Unset_UsesLocalApplicationDataAndDefaultMirrors()
    {
        var options = MnistOptions.FromEnvironment("  ", _ => null);
        Assert.IsNull(options.DataDirectory);
        Assert.IsNull(options.EnvironmentDirectory);
        StringAssert.EndsWith(options.CacheDirectory, Path.Combine("gpuconvnet", "mnist"));
        Assert.AreSame(MnistOptions.DefaultMirrors, options.Mirrors);
    }

    [TestMethod]
    public void FromEnvironment_BadMirror_NamesTheVariable()
    {
        var error = Assert.ThrowsExactly<UserInputException>(() =>
            MnistOptions.FromEnvironment(null, name => name == "GPUCONVNET_MNIST_MIRRORS" ? "ftp://x/,http://ok/" : null));
        StringAssert.Contains(error.Message, "GPUCONVNET_MNIST_MIRRORS contains 'ftp://x/'");
    }

    [TestMethod]
    public void Download_IntoEmptyCache_VerifiesRenamesAndReportsProgress()
    {
        using var server = new LoopbackHttpServer(Mirrors());
        using var cache = new TempDirectory();
        var progress = new List<DownloadProgress>();
        var options = CacheOptions(cache, server.Mirror("good/"));
        // A killed earlier download's partial file, two hours old: cleaned up.
        string stale = cache.File($".train-images-idx3-ubyte.gz.{Guid.NewGuid():N}.part");
        File.WriteAllText(stale, "partial");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));

        var data = MnistDataset.Load(options, progress.Add);

        Assert.AreEqual(60000, data.Train.Count);
        Assert.AreEqual(cache.Path, data.Directory);
        foreach (var file in MnistFile.All)
        {
            Assert.IsTrue(file.Accepts(Sha256(cache.File(file.Name))), file.Name);
            var last = progress.Last(p => p.FileName == file.Name);
            Assert.AreEqual(last.TotalBytes, last.BytesReceived);
        }
        CollectionAssert.AreEquivalent(MnistFile.All.Select(f => f.Name).ToArray(), Directory.GetFiles(cache.Path).Select(Path.GetFileName).ToArray(), "only the four files: no .part left");

        // A second run finds the cache complete and asks no server.
        int requests = server.Requests.Count;
        Mnist.Locate(CacheOptions(cache, LoopbackHttpServer.ClosedPortMirror()));
        Assert.HasCount(requests, server.Requests);
    }

    [TestMethod]
    public void Download_FromAMirrorThatTrickles_GivesUpAtTheDeadline_NotNever()
    {
        // A byte every 20 ms never trips the 2 s stall timeout; the 1 s deadline for the whole file does.
        using var server = new LoopbackHttpServer(Mirrors(), TimeSpan.FromMilliseconds(20));
        using var cache = new TempDirectory();
        var options = new MnistOptions
        {
            CacheDirectory = cache.Path, Mirrors = [server.Mirror("good/")], StallTimeout = ShortStall, MirrorDeadline = TimeSpan.FromSeconds(1),
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.ThrowsExactly<UserInputException>(() => Mnist.Locate(options));

        StringAssert.Contains(error.Message, "still not complete after 1 s in all (a mirror that trickles), given up");
        Assert.IsLessThan(10.0, clock.Elapsed.TotalSeconds, "the deadline ends the wait");
        Assert.IsEmpty(Directory.GetFiles(cache.Path), "no partial file is left");
    }

    [TestMethod]
    public void Download_FirstMirror404_FallsBackToTheNext()
    {
        using var server = new LoopbackHttpServer(Mirrors());
        using var cache = new TempDirectory();
        var paths = Mnist.Locate(CacheOptions(cache, server.Mirror("missing/"), server.Mirror("good/")));
        Assert.IsTrue(MnistFile.TestLabels.Accepts(Sha256(paths.TestLabels)));
        CollectionAssert.Contains(server.Requests.ToArray(), "/missing/t10k-labels-idx1-ubyte.gz");
        CollectionAssert.Contains(server.Requests.ToArray(), "/good/t10k-labels-idx1-ubyte.gz");
    }

    [TestMethod]
    public void Download_CorruptFileFromFirstMirror_IsDiscardedAndTheNextMirrorUsed()
    {
        using var server = new LoopbackHttpServer(Mirrors());
        using var cache = new TempDirectory();
        var paths = Mnist.Locate(CacheOptions(cache, server.Mirror("corrupt/"), server.Mirror("good/")));
        foreach (var (file, path) in MnistFile.All.Zip([paths.TrainImages, paths.TrainLabels, paths.TestImages, paths.TestLabels]))
        {
            Assert.IsTrue(file.Accepts(Sha256(path)), file.Name);
        }
        Assert.HasCount(4, Directory.GetFiles(cache.Path), "no .part file is left behind");
    }

    [TestMethod]
    public void Download_DamagedCachedCopy_IsReplaced()
    {
        using var server = new LoopbackHttpServer(Mirrors());
        using var cache = new TempDirectory();
        foreach (var file in MnistFile.All)
        {
            File.Copy(Path.Combine(SharedData.MnistDirectory, file.Name), cache.File(file.Name));
        }
        File.WriteAllBytes(cache.File("t10k-labels-idx1-ubyte.gz"), [1, 2, 3]);
        var paths = Mnist.Locate(CacheOptions(cache, server.Mirror("good/")));
        Assert.IsTrue(MnistFile.TestLabels.Accepts(Sha256(paths.TestLabels)));
        CollectionAssert.AreEqual(new[] { "/good/t10k-labels-idx1-ubyte.gz" }, server.Requests.ToArray(), "only the damaged file is fetched");
    }

    [TestMethod]
    public void Download_AllMirrorsFail_SaysWhereItLookedWhyEachFailedAndWhatToDo()
    {
        using var server = new LoopbackHttpServer(Mirrors());
        using var cache = new TempDirectory();
        var closed = LoopbackHttpServer.ClosedPortMirror();
        var options = CacheOptions(cache, server.Mirror("missing/"), server.Mirror("corrupt/"), closed, server.Mirror("stalled/"));

        var error = Assert.ThrowsExactly<UserInputException>(() => Mnist.Locate(options));

        string message = error.Message;
        TestContext.WriteLine(message);
        StringAssert.Contains(message, $"GPUCONVNET_DATA not set, and the cache {cache.Path} has no train-images-idx3-ubyte.gz");
        StringAssert.Contains(message, $"{server.Mirror("missing/")}train-images-idx3-ubyte.gz: HTTP 404");
        StringAssert.Contains(message, $"{server.Mirror("corrupt/")}train-images-idx3-ubyte.gz: SHA-256 ");
        StringAssert.Contains(message, "is not an accepted checksum");
        StringAssert.Contains(message, $"{closed}train-images-idx3-ubyte.gz: ");
        StringAssert.Contains(message, $"{server.Mirror("stalled/")}train-images-idx3-ubyte.gz: no response for 2 s");
        StringAssert.Contains(message, "Pass --data DIR or set GPUCONVNET_DATA to a folder holding the four MNIST .gz files");
        Assert.DoesNotContain("\n", message);
        Assert.IsEmpty(Directory.GetFiles(cache.Path), "failed attempts leave nothing behind");
    }

    [TestMethod]
    public void Download_NoMirrors_SaysSo()
    {
        using var cache = new TempDirectory();
        var error = Assert.ThrowsExactly<UserInputException>(() => Mnist.Locate(CacheOptions(cache)));
        StringAssert.Contains(error.Message, "no mirrors are configured");
    }

    private static MnistOptions CacheOptions(TempDirectory cache, params Uri[] mirrors) =>
        new() { CacheDirectory = cache.Path, Mirrors = mirrors, StallTimeout = ShortStall };

    /// <summary>
    /// The test mirrors' handler, found on the test's own thread: without the shared MNIST copy the test is Inconclusive
    /// (a failure under CI) there, instead of the server's thread throwing and the client timing out.
    /// </summary>
    private static Func<string, (int Status, byte[] Body)?> Mirrors()
    {
        string directory = SharedData.MnistDirectory;
        return path => Serve(directory, path);
    }

    // good/ serves the shared files, corrupt/ the same with one byte flipped, stalled/ never answers, the rest is 404.
    private static (int Status, byte[] Body)? Serve(string directory, string path)
    {
        string[] parts = path.Trim('/').Split('/');
        if (parts.Length != 2 || !MnistFile.All.Any(f => f.Name == parts[1]))
        {
            return (404, []);
        }
        var bytes = File.ReadAllBytes(Path.Combine(directory, parts[1]));
        switch (parts[0])
        {
            case "good":
                return (200, bytes);
            case "corrupt":
                bytes[bytes.Length / 2] ^= 0x55;
                return (200, bytes);
            case "stalled":
                return null;
            default:
                return (404, []);
        }
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
