namespace GpuConvNet.Imaging;

/// <summary>Which way round a picture's ink and background are (MNIST's digits are light on dark).</summary>
public enum InkPolarity
{
    /// <summary>Decide from the picture (see <see cref="MnistPreprocessor.IsDarkOnLight"/>).</summary>
    Auto,

    /// <summary>Dark ink on a light background (pen on paper): inverted.</summary>
    DarkOnLight,

    /// <summary>Light ink on a dark background, as MNIST: used as it is.</summary>
    LightOnDark,
}
