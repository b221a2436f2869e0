using GpuConvNet.Data;
using GpuConvNet.Imaging;

namespace GpuConvNet.Web.Tests.Infrastructure;

/// <summary>Pictures of digits as users send them: MNIST test digits redrawn large, dark on light, as PNG files.</summary>
public static class DigitPictures
{
    private static readonly Lazy<LabeledImages> Test = new(() => IdxFile.ReadLabeledImages(
        Path.Combine(WebTestEnvironment.MnistDirectory, "t10k-images-idx3-ubyte.gz"), Path.Combine(WebTestEnvironment.MnistDirectory, "t10k-labels-idx1-ubyte.gz")));

    /// <summary>The label of MNIST test image <paramref name="index"/>.</summary>
    public static int Label(int index) => Test.Value.Labels[index];

    /// <summary>The 784 bytes of MNIST test image <paramref name="index"/>.</summary>
    public static byte[] Field(int index) => Test.Value.Image(index).ToArray();

    /// <summary>MNIST test image <paramref name="index"/> drawn 5× larger, dark on light paper, in a 180×180 PNG.</summary>
    public static byte[] Png(int index)
    {
        var digit = Test.Value.Image(index);
        const int size = 180, scale = 5, offset = 20;
        var pixels = Enumerable.Repeat((byte)245, size * size).ToArray();
        for (int y = 0; y < 28 * scale; y++)
        {
            for (int x = 0; x < 28 * scale; x++)
            {
                pixels[(y + offset) * size + x + offset] = (byte)(245 - digit[y / scale * 28 + x / scale] * 225 / 255);
            }
        }
        return PngFile.Encode(new Raster(size, size, PixelLayout.Gray, pixels));
    }
}
