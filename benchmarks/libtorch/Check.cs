using static TorchSharp.torch;

namespace GpuConvNet.LibTorchBaseline;

/// <summary>That libtorch loads (libLibTorchSharp.so included) and computes: a tensor op and a model's forward pass.</summary>
internal static class Check
{
    public static string Run()
    {
        using var scope = NewDisposeScope();
        var sum = ones(2, 2).sum().item<float>();
        if (sum != 4)
        {
            throw new InvalidOperationException($"ones(2, 2).sum() gave {sum}, not 4");
        }
        manual_seed(0);
        using var model = Models.Fast();
        model.eval();
        using var _ = no_grad();
        var logits = model.forward(rand(3, 1, 28, 28));
        if (!logits.shape.SequenceEqual([3L, 10L]) || !logits.isfinite().all().item<bool>())
        {
            throw new InvalidOperationException($"fast's forward pass gave shape ({string.Join(", ", logits.shape)}) or non-finite logits");
        }
        return $"{Machine.LibTorchVersion} loads: ones(2, 2).sum() = {sum}, fast's forward pass on (3, 1, 28, 28) gives (3, 10)";
    }
}
