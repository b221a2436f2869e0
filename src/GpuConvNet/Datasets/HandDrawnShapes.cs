using System.Globalization;
using GpuConvNet.Imaging;
using SkiaSharp;

namespace GpuConvNet.Datasets;

/// <summary>
/// A labelled image-folder data set of shapes drawn as a person draws them with a mouse: wobbly strokes, ends that
/// overshoot or fall short, any size, rotation, position and pen width, dark ink on light paper. The same seed gives
/// the same files, byte for byte. Written as <c>DIR/train/&lt;class&gt;/*.png</c> and <c>DIR/test/&lt;class&gt;/*.png</c>
/// (a fifth of each class), the layout <c>--dataset folder:DIR</c> reads.
/// </summary>
public static class HandDrawnShapes
{
    /// <summary>The shapes, in class order.</summary>
    public static IReadOnlyList<string> Classes { get; } = ["circle", "cross", "line", "square", "star", "triangle"];

    /// <summary>Pixels per side of every picture.</summary>
    public const int Size = 64;

    /// <summary>Writes <paramref name="perClass"/> pictures of each shape into <paramref name="directory"/>; returns how many went to train/ and test/.</summary>
    /// <exception cref="UserInputException">A file cannot be written.</exception>
    public static (int Train, int Test) Write(string directory, int perClass, int seed)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 2);
        int testPerClass = Math.Max(1, perClass / 5);
        for (int c = 0; c < Classes.Count; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                string split = i < perClass - testPerClass ? "train" : "test";
                string path = Path.Combine(directory, split, Classes[c], string.Create(CultureInfo.InvariantCulture, $"{Classes[c]}-{i + 1:D5}.png"));
                PngFile.Write(path, Draw(Classes[c], seed, i));
            }
        }
        return ((perClass - testPerClass) * Classes.Count, testPerClass * Classes.Count);
    }

    /// <summary>Picture <paramref name="index"/> of <paramref name="shape"/> for <paramref name="seed"/>: a <see cref="Size"/>² gray image.</summary>
    public static Raster Draw(string shape, int seed, int index)
    {
        int c = Classes.ToList().IndexOf(shape);
        if (c < 0)
        {
            throw new ArgumentException($"no shape '{shape}': choose one of {string.Join(", ", Classes)}", nameof(shape));
        }
        // One generator per picture, from the seed, the class and the index: any picture can be made alone.
        var random = new Random(unchecked((seed * 7919 + c) * 104_729 + index));
        var strokes = Outline(shape, random);
        double angle = shape is "square" or "triangle" ? Uniform(random, -0.45, 0.45) : Uniform(random, 0, 2 * Math.PI);
        double scale = Size / 2.0 * Uniform(random, 0.5, 0.85);
        double aspect = Uniform(random, 0.8, 1.25);
        double cx = Size / 2.0 + Uniform(random, -0.12, 0.12) * Size, cy = Size / 2.0 + Uniform(random, -0.12, 0.12) * Size;
        float pen = (float)Uniform(random, 2.5, 6.5);
        byte ink = (byte)random.Next(0, 70), paper = (byte)random.Next(215, 256);
        return SkiaDrawing.Render(Size, Size, new SKColor(paper, paper, paper), canvas =>
        {
            using var paint = new SKPaint
            {
                Color = new SKColor(ink, ink, ink),
                StrokeWidth = pen,
                IsStroke = true,
                IsAntialias = true,
                StrokeCap = SKStrokeCap.Round,
                StrokeJoin = SKStrokeJoin.Round,
            };
            foreach (var stroke in strokes)
            {
                var points = Wobble(stroke, random).Select(p =>
                {
                    double px = p.X * aspect, py = p.Y / aspect;
                    double rx = px * Math.Cos(angle) - py * Math.Sin(angle), ry = px * Math.Sin(angle) + py * Math.Cos(angle);
                    return new SKPoint((float)(cx + rx * scale), (float)(cy + ry * scale));
                }).ToArray();
                // Connected segments with round caps: a pen's stroke, joins included.
                canvas.DrawPoints(SKPointMode.Polygon, points, paint);
            }
        }).ToGray();
    }

    // The ideal strokes of a shape in a unit square centred on 0, as polylines; closed shapes stop a little short of
    // their start or run a little past it, as a hand does.
    private static List<List<(double X, double Y)>> Outline(string shape, Random random)
    {
        double close = Uniform(random, -0.08, 0.1);
        switch (shape)
        {
            case "circle":
            {
                double start = Uniform(random, 0, 2 * Math.PI), sweep = 2 * Math.PI * (1 + close);
                return [[.. Enumerable.Range(0, 65).Select(i => start + sweep * i / 64).Select(a => (Math.Cos(a), Math.Sin(a)))]];
            }
            case "square":
                return [Polygon([(-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)], random.Next(4), close)];
            case "triangle":
                return [Polygon([(0, -1), (0.95, 0.75), (-0.95, 0.75)], random.Next(3), close)];
            case "star":
            {
                // A pentagram in one stroke: every second point of a pentagon.
                var points = Enumerable.Range(0, 5).Select(k => -Math.PI / 2 + k * 4 * Math.PI / 5).Select(a => (Math.Cos(a), Math.Sin(a))).ToList();
                return [Polygon(points, 0, close)];
            }
            case "cross":
            {
                double tilt = Uniform(random, -0.15, 0.15);
                return [Segment((-1, tilt), (1, -tilt)), Segment((tilt, -1), (-tilt, 1))];
            }
            default:
                return [Segment((-1, Uniform(random, -0.1, 0.1)), (1, Uniform(random, -0.1, 0.1)))];
        }
    }

    // A closed polygon as one stroke from corner `first`, ending `close` of the last side past (or short of) the start.
    private static List<(double X, double Y)> Polygon(IReadOnlyList<(double X, double Y)> corners, int first, double close)
    {
        var points = new List<(double, double)>();
        int n = corners.Count;
        for (int side = 0; side < n; side++)
        {
            var a = corners[(first + side) % n];
            var b = corners[(first + side + 1) % n];
            double end = side == n - 1 ? 1 + close : 1;
            for (int s = 0; s < 16; s++)
            {
                double t = end * s / 16;
                points.Add((a.X + (b.X - a.X) * t, a.Y + (b.Y - a.Y) * t));
            }
            if (side == n - 1)
            {
                points.Add((a.X + (b.X - a.X) * end, a.Y + (b.Y - a.Y) * end));
            }
        }
        return points;
    }

    private static List<(double X, double Y)> Segment((double X, double Y) a, (double X, double Y) b) =>
        [.. Enumerable.Range(0, 25).Select(i => i / 24.0).Select(t => (a.X + (b.X - a.X) * t, a.Y + (b.Y - a.Y) * t))];

    // A hand's unsteadiness: two slow sine waves per axis along the stroke, and a little jitter.
    private static List<(double X, double Y)> Wobble(List<(double X, double Y)> stroke, Random random)
    {
        var waves = Enumerable.Range(0, 4).Select(_ => (Amplitude: Uniform(random, 0.01, 0.05), Frequency: Uniform(random, 0.5, 3), Phase: Uniform(random, 0, 2 * Math.PI))).ToArray();
        return [.. stroke.Select((p, i) =>
        {
            double t = (double)i / Math.Max(1, stroke.Count - 1);
            double dx = waves[0].Amplitude * Math.Sin(2 * Math.PI * waves[0].Frequency * t + waves[0].Phase) + waves[1].Amplitude * Math.Sin(2 * Math.PI * waves[1].Frequency * t + waves[1].Phase);
            double dy = waves[2].Amplitude * Math.Sin(2 * Math.PI * waves[2].Frequency * t + waves[2].Phase) + waves[3].Amplitude * Math.Sin(2 * Math.PI * waves[3].Frequency * t + waves[3].Phase);
            return (p.X + dx + Uniform(random, -0.008, 0.008), p.Y + dy + Uniform(random, -0.008, 0.008));
        })];
    }

    private static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();
}
