namespace GpuConvNet.Imaging;

/// <summary>
/// The five PNG row filters (None, Sub, Up, Average, Paeth). Filters work on bytes: "left" is the byte one pixel
/// (<c>bpp</c> bytes, at least 1) back in the same row, "up" the same byte in the previous row (zeros above row 0).
/// </summary>
internal static class PngFilter
{
    /// <summary>Writes filter <paramref name="type"/> of <paramref name="row"/> into <paramref name="filtered"/>.</summary>
    public static void Apply(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bpp, Span<byte> filtered)
    {
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0;
            int up = previous[i];
            int upLeft = i >= bpp ? previous[i - bpp] : 0;
            filtered[i] = (byte)(row[i] - Predict(type, left, up, upLeft));
        }
    }

    /// <summary>Undoes filter <paramref name="type"/> on <paramref name="row"/> in place.</summary>
    /// <returns>False when <paramref name="type"/> is not 0..4.</returns>
    public static bool Undo(int type, Span<byte> row, ReadOnlySpan<byte> previous, int bpp)
    {
        switch (type)
        {
            case 0:
                return true;
            case 1:
                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += row[i - bpp];
                }
                return true;
            case 2:
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] += previous[i];
                }
                return true;
            case 3:
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0;
                    int upLeft = i >= bpp ? previous[i - bpp] : 0;
                    row[i] += (byte)Predict(type, left, previous[i], upLeft);
                }
                return true;
            default:
                return false;
        }
    }

    private static int Predict(int type, int left, int up, int upLeft) => type switch
    {
        0 => 0,
        1 => left,
        2 => up,
        3 => (left + up) >> 1,
        4 => Paeth(left, up, upLeft),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "PNG filter types are 0..4"),
    };

    /// <summary>The Paeth predictor: whichever of left, up, upper-left is closest to left + up − upper-left.</summary>
    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
