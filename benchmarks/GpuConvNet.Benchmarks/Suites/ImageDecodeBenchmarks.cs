using BenchmarkDotNet.Attributes;
using GpuConvNet.Benchmarks.Infrastructure;
using GpuConvNet.Imaging;

namespace GpuConvNet.Benchmarks.Suites;

/// <summary>
/// Reading a user's photo of a digit: a 12-megapixel (4000 × 3000) JPEG, as phones take them. The baseline decodes
/// it at full size, as a plain decoder does; <c>Shrunk</c> lets the JPEG decoder work at a quarter of the size (what
/// <see cref="InputImage"/> asks for: the longer side stays ≥ 1,000); <c>ToMnistField</c> is all of
/// <c>predict</c>'s preparation (decode, shrink, polarity, crop, scale, centre). images/s = photos per second.
/// </summary>
[MemoryDiagnoser]
public class ImageDecodeBenchmarks : IWorkload
{
    private byte[] jpeg = [];

    /// <inheritdoc />
    public double Flops => 0;

    /// <inheritdoc />
    public double Bytes => 0;

    /// <inheritdoc />
    public double Images => 1;

    /// <summary>Makes the photo and checks that every case reads it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        jpeg = SyntheticPhoto.Jpeg(4000, 3000);
        if (FullSize().Width != 4000 || Shrunk().Width != 1000 || ToMnistField().Length != 784)
        {
            throw new InvalidOperationException("the 12-megapixel JPEG did not decode as expected");
        }
    }

    /// <summary>Decode at full size (the baseline).</summary>
    [Benchmark(Baseline = true)]
    public Raster FullSize() => ImageFile.Decode(jpeg, "photo.jpg");

    /// <summary>Decode at the smallest size whose longer side is ≥ 1,000.</summary>
    [Benchmark]
    public Raster Shrunk() => ImageFile.Decode(jpeg, "photo.jpg", shrinkTo: InputImage.DecodeSide);

    /// <summary>Everything <c>predict</c> does before the model.</summary>
    [Benchmark]
    public byte[] ToMnistField() => InputImage.Decode(jpeg, "photo.jpg", Preprocessing.Digit);
}
