namespace GpuConvNet.Onnx;

/// <summary>What the ONNX files gpuconvnet writes declare, and the names in them.</summary>
public static class OnnxFormat
{
    /// <summary>
    /// The operator set exports declare: 17 (ONNX 1.12), which every current runtime reads and in which each op we
    /// write (Conv, MaxPool, BatchNormalization-15, Gemm, Relu, Flatten, Softmax-13, Sigmoid) has its present form.
    /// </summary>
    public const long Opset = 17;

    /// <summary>The IR version exports declare: 8, the one that goes with opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary>The oldest default-domain opset an imported graph may declare: the ops we read have had their present semantics since 9 (Flatten, BatchNormalization without spatial), up to 23.</summary>
    public const long OldestOpset = 9;

    /// <summary>The newest default-domain opset an imported graph may declare.</summary>
    public const long NewestOpset = 23;

    /// <summary>The exported graph's input: normalised images (batch, channels, height, width).</summary>
    public const string InputName = "input";

    /// <summary>The exported graph's first output: the logits (batch, classes).</summary>
    public const string LogitsName = "logits";

    /// <summary>The exported graph's second output: the class probabilities (softmax, or each logit's sigmoid).</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>The symbolic batch dimension of the input and outputs.</summary>
    public const string BatchDimension = "batch";

    /// <summary>Metadata key of how pixels become the input, in words.</summary>
    public const string NormalizationKey = "normalization";

    /// <summary>Metadata key of what the outputs are, in words.</summary>
    public const string OutputsKey = "outputs";

    /// <summary>File extension of ONNX models.</summary>
    public const string Extension = ".onnx";

    /// <summary>True when <paramref name="path"/> names an ONNX model (by its extension).</summary>
    public static bool IsOnnx(string path) => Path.GetExtension(path).Equals(Extension, StringComparison.OrdinalIgnoreCase);
}
