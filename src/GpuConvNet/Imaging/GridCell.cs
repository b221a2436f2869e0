namespace GpuConvNet.Imaging;

/// <summary>One image of an <see cref="ImageGrid"/> and the caption under it.</summary>
/// <param name="Pixels">Gray pixels, row-major, 0 = background (drawn black), 255 = ink (white), as in MNIST.</param>
/// <param name="Caption">Text under the image, e.g. "7" or "7→2 99%"; any text the embedded font has.</param>
/// <param name="Highlight">Draws the caption in red, e.g. for a misclassified image.</param>
public sealed record GridCell(byte[] Pixels, string Caption, bool Highlight = false);
