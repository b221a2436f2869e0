using System.Runtime.InteropServices;
using SkiaSharp;

namespace GpuConvNet.Imaging;

/// <summary>Decodes the formats SkiaSharp knows into RGBA <see cref="Raster"/>s, checking limits before decoding.</summary>
internal static class SkiaDecoder
{
    public static Raster Decode(byte[] bytes, string name, ImageLimits limits, int? shrinkTo)
    {
        using var data = SKData.CreateCopy(bytes);
        using var stream = new SKMemoryStream(data);
        using var codec = SKCodec.Create(stream, out var created);
        if (codec is null)
        {
            throw new UserInputException($"{name}: {Unrecognised(bytes, created)}; use a PNG, JPEG, BMP, GIF, WebP or PGM image");
        }
        var declared = codec.Info;
        long declaredPixels = (long)declared.Width * declared.Height;
        if (declared.Width <= 0 || declared.Height <= 0 || declaredPixels > limits.MaxPixels)
        {
            throw new UserInputException(
                $"{name}: {declared.Width}×{declared.Height} is {declaredPixels / 1e6:F0} megapixels, more than the {limits.MaxPixels / 1e6:F0} an image may have; scale it down first");
        }
        var size = DecodeSize(codec, shrinkTo);
        long decodedBytes = 4L * size.Width * size.Height;
        if (decodedBytes > limits.MaxDecodedBytes)
        {
            throw new UserInputException(
                $"{name}: decoding {size.Width}×{size.Height} pixels needs {decodedBytes >> 20:N0} MiB, more than the {limits.MaxDecodedBytes >> 20:N0} MiB allowed; scale the image down or save it as JPEG");
        }
        var pixels = new byte[decodedBytes];
        var target = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(target, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        if (result != SKCodecResult.Success)
        {
            string problem = result is SKCodecResult.IncompleteInput ? "the file is cut short" : $"the image data is damaged ({result})";
            throw new UserInputException($"{name}: {problem}; save or download it again");
        }
        return Orientation.ToUpright(new Raster(size.Width, size.Height, PixelLayout.Rgba, pixels), codec.EncodedOrigin);
    }

    /// <summary>What <see cref="Decode"/> allocates for the bitmap of <paramref name="bytes"/>; 0 where it refuses them first.</summary>
    public static long DecodedBytes(byte[] bytes, ImageLimits limits, int? shrinkTo)
    {
        // Read in place: the header is all that is needed, and the bytes may be megabytes.
        using var stream = new SKManagedStream(new MemoryStream(bytes, writable: false), disposeManagedStream: true);
        using var codec = SKCodec.Create(stream);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0 || (long)codec.Info.Width * codec.Info.Height > limits.MaxPixels)
        {
            return 0;
        }
        var size = DecodeSize(codec, shrinkTo);
        long decodedBytes = 4L * size.Width * size.Height;
        return decodedBytes > limits.MaxDecodedBytes ? 0 : decodedBytes;
    }

    // The smallest size the codec decodes to whose longer side is still at least `shrinkTo`. JPEG offers 1/2, 1/4 and
    // 1/8 and rounds other scales down; WebP takes any scale.
    private static SKSizeI DecodeSize(SKCodec codec, int? shrinkTo)
    {
        var full = codec.Info.Size;
        int longer = Math.Max(full.Width, full.Height);
        if (shrinkTo is not { } wanted || wanted >= longer)
        {
            return full;
        }
        var best = full;
        foreach (float scale in new[] { (float)wanted / longer, 1 / 8f, 1 / 4f, 1 / 2f })
        {
            var scaled = codec.GetScaledDimensions(scale);
            if (scaled.Width > 0 && scaled.Height > 0 && Math.Max(scaled.Width, scaled.Height) >= wanted
                && (long)scaled.Width * scaled.Height < (long)best.Width * best.Height)
            {
                best = scaled;
            }
        }
        return best;
    }

    private static string Unrecognised(byte[] bytes, SKCodecResult result) => bytes switch
    {
        [(byte)'P', (byte)'1' or (byte)'3' or (byte)'4' or (byte)'6', ..] => "a PBM/PPM file; only the graymaps of that family (PGM: P2, P5) are read",
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] or [0xFF, 0xD8, 0xFF, ..] or [(byte)'G', (byte)'I', (byte)'F', ..] =>
            $"the image is damaged and cannot be decoded ({result})",
        _ => "not an image format this program reads",
    };
}
