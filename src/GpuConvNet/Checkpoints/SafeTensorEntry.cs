namespace GpuConvNet.Checkpoints;

/// <summary>One tensor as a safetensors header describes it.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">Its element type as the format spells it: "F32", "F16", "BF16", "I64", …</param>
/// <param name="Shape">Its dimensions, outermost first.</param>
/// <param name="Begin">Offset of its first byte in the data section (after the header).</param>
/// <param name="End">Offset just past its last byte in the data section.</param>
public sealed record SafeTensorEntry(string Name, string DType, long[] Shape, long Begin, long End);
