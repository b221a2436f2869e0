using System.Diagnostics;
using GpuConvNet.Data;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Data;

/// <summary>The IDX reader: the real MNIST files, gzip and raw, and every kind of damage named in one line.</summary>
[TestClass]
public sealed class IdxFileTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void AGzipThatInflatesFarBeyondItsHeader_IsRefusedNamingTheFile_WithoutInflatingIt()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t10k-images-idx3-ubyte.gz");
        // A valid header for 10 images of 28×28, then 64 MiB of zeros (which gzip squeezes to ~64 KiB).
        var content = new byte[16 + 64 * 1024 * 1024];
        IdxTestFiles.Images(10, 28, 28, new byte[10 * 28 * 28]).AsSpan(0, 16).CopyTo(content);
        File.WriteAllBytes(path, IdxTestFiles.Gzip(content));
        long before = GC.GetTotalAllocatedBytes(precise: true);

        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));

        StringAssert.StartsWith(error.Message, $"{path}: decompresses to more than the 7856 bytes its header promises");
        Assert.IsLessThan(16L * 1024 * 1024, GC.GetTotalAllocatedBytes(precise: true) - before, "memory stays bounded by what the header promises");
    }

    [TestMethod]
    public void ReadLabeledImages_RealTrainingSet_Has60000Images28x28QuicklyAndKnownFirstLabels()
    {
        string dir = SharedData.MnistDirectory;
        var watch = Stopwatch.StartNew();
        var train = IdxFile.ReadLabeledImages(Path.Combine(dir, "train-images-idx3-ubyte.gz"), Path.Combine(dir, "train-labels-idx1-ubyte.gz"));
        watch.Stop();
        TestContext.WriteLine($"60,000 training images and labels read in {watch.ElapsedMilliseconds} ms");
        Assert.AreEqual(60000, train.Count);
        Assert.AreEqual(28, train.Rows);
        Assert.AreEqual(28, train.Cols);
        Assert.HasCount(60000 * 784, train.Images);
        CollectionAssert.AreEqual(new byte[] { 5, 0, 4, 1, 9 }, train.Labels[..5]);
        // Generous for a loaded 2-core machine; an unloaded one takes about a quarter of this.
        Assert.IsLessThan(3000, watch.ElapsedMilliseconds, "reading the training set is too slow");
    }

    [TestMethod]
    public void ReadLabeledImages_RealTestSet_Has10000ImagesAndKnownFirstLabels()
    {
        string dir = SharedData.MnistDirectory;
        var test = IdxFile.ReadLabeledImages(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));
        Assert.AreEqual(10000, test.Count);
        CollectionAssert.AreEqual(new byte[] { 7, 2, 1, 0, 4 }, test.Labels[..5]);
        // The first test image is a 7: ink in its middle rows, nothing in its corners.
        var first = test.Image(0);
        Assert.AreEqual(0, first[0]);
        Assert.IsGreaterThan(10000, first.ToArray().Sum(p => p));
    }

    [TestMethod]
    public void ReadImages_GzipAndRaw_GiveTheSamePixels()
    {
        using var dir = new TempDirectory();
        var pixels = IdxTestFiles.Ramp(3 * 4 * 5);
        var idx = IdxTestFiles.Images(3, 4, 5, pixels);
        var fromRaw = IdxFile.ReadImages(dir.Write("images", idx));
        // The name says nothing: gzip is detected by its magic.
        var fromGzip = IdxFile.ReadImages(dir.Write("images.bin", IdxTestFiles.Gzip(idx)));
        foreach (var images in new[] { fromRaw, fromGzip })
        {
            Assert.AreEqual(3, images.Count);
            Assert.AreEqual(4, images.Rows);
            Assert.AreEqual(5, images.Cols);
            CollectionAssert.AreEqual(pixels, images.Pixels);
        }
        CollectionAssert.AreEqual(pixels[20..40], fromGzip.Image(1).ToArray());
    }

    [TestMethod]
    public void ReadLabels_GzipFile_ReturnsLabels()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("labels.gz", IdxTestFiles.Gzip(IdxTestFiles.Labels(4, [0, 9, 3, 3])));
        CollectionAssert.AreEqual(new byte[] { 0, 9, 3, 3 }, IdxFile.ReadLabels(path));
    }

    [TestMethod]
    public void ReadImages_LabelsFile_SaysItIsALabelsFile()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("labels", IdxTestFiles.Labels(2, [1, 2]));
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, "0x00000801 (the magic of an IDX labels file), expected 0x00000803");
    }

    [TestMethod]
    public void ReadImages_NotIdxAtAll_SaysSo()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("photo.png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0]);
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, "not an IDX magic at all");
    }

    [TestMethod]
    public void ReadImages_TruncatedBody_SaysHowMuchIsMissing()
    {
        using var dir = new TempDirectory();
        var idx = IdxTestFiles.Images(3, 4, 5, IdxTestFiles.Ramp(60));
        string path = dir.Write("images.gz", IdxTestFiles.Gzip(idx[..^7]));
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, $"{path} is truncated: the header promises 3 images of 4×5 pixels (60 bytes) but only 53 bytes follow it");
    }

    [TestMethod]
    public void ReadImages_TruncatedHeader_SaysTruncated()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("images", IdxTestFiles.Images(3, 4, 5, [])[..10]);
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, "is truncated: it has 10 bytes, fewer than the 16-byte header");
    }

    [TestMethod]
    public void ReadImages_TruncatedGzipStream_SaysGzipIsCorrupt()
    {
        using var dir = new TempDirectory();
        var gzip = IdxTestFiles.Gzip(IdxTestFiles.Images(50, 28, 28, IdxTestFiles.Ramp(50 * 784)));
        string path = dir.Write("images.gz", gzip[..(gzip.Length / 2)]);
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, path);
        Assert.IsTrue(error.Message.Contains("gzip data is corrupt", StringComparison.Ordinal) || error.Message.Contains("truncated", StringComparison.Ordinal), error.Message);
    }

    [TestMethod]
    public void ReadImages_TrailingGarbage_IsRejected()
    {
        using var dir = new TempDirectory();
        var idx = IdxTestFiles.Images(2, 2, 2, IdxTestFiles.Ramp(8));
        string path = dir.Write("images", [.. idx, 1, 2, 3]);
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, "3 bytes of trailing data after the 2 images of 2×2 pixels (8 bytes)");
    }

    [TestMethod]
    [DataRow(0, 5)]
    [DataRow(5, 0)]
    public void ReadImages_ZeroRowsOrCols_IsRejected(int rows, int cols)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("images", IdxTestFiles.Images(2, rows, cols, []));
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, $"images are {rows}×{cols} pixels");
    }

    [TestMethod]
    public void ReadImages_ZeroImages_IsRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("images", IdxTestFiles.Images(0, 28, 28, []));
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, "holds no images");
    }

    [TestMethod]
    public void ReadImages_AbsurdHeader_IsRejectedWithoutAllocating()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("images", IdxTestFiles.Images(int.MaxValue, 28, 28, []));
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, "more than this program can hold");
    }

    [TestMethod]
    public void ReadLabels_LabelOutOfRange_NamesLabelAndIndex()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("labels", IdxTestFiles.Labels(4, [1, 2, 10, 3]));
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadLabels(path));
        StringAssert.Contains(error.Message, "label 10 at index 2 is outside 0..9");
        CollectionAssert.AreEqual(new byte[] { 1, 2, 10, 3 }, IdxFile.ReadLabels(path, classCount: 11));
    }

    [TestMethod]
    public void ReadLabeledImages_CountsDiffer_NamesBothFiles()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("images", IdxTestFiles.Images(3, 2, 2, IdxTestFiles.Ramp(12)));
        string labels = dir.Write("labels", IdxTestFiles.Labels(2, [1, 2]));
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadLabeledImages(images, labels));
        StringAssert.Contains(error.Message, $"{images} holds 3 images but {labels} holds 2 labels");
    }

    [TestMethod]
    public void ReadImages_MissingFile_SaysItDoesNotExist()
    {
        using var dir = new TempDirectory();
        string path = dir.File("nothing.gz");
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadImages(path));
        StringAssert.Contains(error.Message, $"{path} does not exist");
    }

    [TestMethod]
    public void Messages_AreOneLine()
    {
        using var dir = new TempDirectory();
        var gzip = IdxTestFiles.Gzip(IdxTestFiles.Labels(3, [1, 2, 3]));
        gzip[12] ^= 0xff;
        string path = dir.Write("labels.gz", gzip);
        var error = Assert.ThrowsExactly<UserInputException>(() => IdxFile.ReadLabels(path));
        Assert.DoesNotContain("\n", error.Message);
    }
}
