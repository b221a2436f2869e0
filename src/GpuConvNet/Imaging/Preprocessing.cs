namespace GpuConvNet.Imaging;

/// <summary>
/// How a picture becomes a model's input, the same at training (for image folders) and at prediction: recorded in
/// checkpoints by <see cref="Name"/>, <see cref="Width"/> and <see cref="Height"/>.
/// </summary>
public abstract record Preprocessing
{
    /// <summary>MNIST's preparation of a handwritten digit (see <see cref="MnistPreprocessor"/>): 28×28, ink light on dark, cropped and centred.</summary>
    public static Preprocessing Digit { get; } = new DigitPreprocessing();

    /// <summary>
    /// Grayscale, ink made light on dark and the background removed as for digits, then the whole picture (not cropped)
    /// resized by area to <paramref name="width"/> × <paramref name="height"/>.
    /// </summary>
    public static Preprocessing Resize(int width, int height) => new ResizePreprocessing(width, height);

    /// <summary>The name checkpoints record: <c>digit</c> or <c>resize</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Columns of the result.</summary>
    public abstract int Width { get; }

    /// <summary>Rows of the result.</summary>
    public abstract int Height { get; }

    /// <summary>The <see cref="Width"/> × <see cref="Height"/> gray image (row-major, 0 background) of <paramref name="image"/>.</summary>
    /// <exception cref="UserInputException">The picture cannot be used (e.g. no digit in it).</exception>
    public abstract byte[] Prepare(Raster image, string name, InkPolarity polarity);

    /// <summary>The preprocessing called <paramref name="name"/> producing <paramref name="width"/> × <paramref name="height"/> images.</summary>
    /// <exception cref="ArgumentException">An unknown name, or digit at another size than 28×28.</exception>
    public static Preprocessing Parse(string name, int width, int height) => name switch
    {
        "digit" when width == MnistPreprocessor.FieldSize && height == MnistPreprocessor.FieldSize => Digit,
        "digit" => throw new ArgumentException($"digit preprocessing makes 28×28 images, not {width}×{height}; use resize for other sizes"),
        "resize" => Resize(width, height),
        _ => throw new ArgumentException($"unknown preprocessing '{name}': use digit or resize"),
    };

    private sealed record DigitPreprocessing : Preprocessing
    {
        public override string Name => "digit";

        public override int Width => MnistPreprocessor.FieldSize;

        public override int Height => MnistPreprocessor.FieldSize;

        public override byte[] Prepare(Raster image, string name, InkPolarity polarity) => MnistPreprocessor.Prepare(image, name, polarity);
    }

    private sealed record ResizePreprocessing : Preprocessing
    {
        public ResizePreprocessing(int width, int height)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
            Width = width;
            Height = height;
        }

        public override string Name => "resize";

        public override int Width { get; }

        public override int Height { get; }

        public override byte[] Prepare(Raster image, string name, InkPolarity polarity)
        {
            float[] gray;
            try
            {
                // As for digits: ink made light on dark, the background level removed, the contrast stretched.
                gray = MnistPreprocessor.ToInk(image, name, polarity);
            }
            catch (UserInputException)
            {
                // A uniform picture has no ink: it is all background, which is an input like any other.
                gray = new float[image.Width * image.Height];
            }
            var resized = AreaResize.Resize(gray, image.Width, image.Height, Width, Height);
            return [.. resized.Select(v => (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f))];
        }
    }
}
