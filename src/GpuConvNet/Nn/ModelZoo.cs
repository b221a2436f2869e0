using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Nn;

/// <summary>How a model trains when the command line does not say otherwise.</summary>
/// <param name="Epochs">Epochs.</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="Optimizer">Optimiser.</param>
/// <param name="LearningRate">Initial learning rate.</param>
/// <param name="Schedule">Learning-rate schedule.</param>
/// <param name="MaxShift">Random-shift augmentation in pixels.</param>
public sealed record TrainingDefaults(int Epochs, int BatchSize, OptimizerKind Optimizer, double LearningRate, ScheduleKind Schedule, int MaxShift = 0);

/// <summary>A named model: what it is, how to build it, and how it trains by default.</summary>
/// <param name="Name">Command-line name.</param>
/// <param name="Description">One line: architecture and origin.</param>
/// <param name="Create">Makes a fresh, unbuilt model.</param>
/// <param name="Defaults">Training defaults.</param>
public sealed record ModelRecipe(string Name, string Description, Func<Model> Create, TrainingDefaults Defaults);

/// <summary>The MNIST models the command line trains by name, each described in a few lines.</summary>
public static class ModelZoo
{
    /// <summary>The model <c>train</c> uses without <c>--model</c>: small enough for a CPU, a real CNN.</summary>
    public const string DefaultModel = "lenet5";

    private static readonly Shape Mnist = new(1, 28, 28);

    /// <summary>Every model, in order of size.</summary>
    public static IReadOnlyList<ModelRecipe> All { get; } =
    [
        new("mlp-small", "784-100-10, ReLU hidden, sigmoid outputs with binary cross-entropy (one MNIST write-up: 99.4 % training accuracy)",
            () => new Model("mlp-small", Mnist, [new Flatten(), new Dense(100, relu: true), new Dense(10)], LossKind.SigmoidBinaryCrossEntropy),
            new(10, 64, OptimizerKind.Adam, 1e-3, ScheduleKind.Constant)),
        new("mlp", "784-128-64-16-10 ReLU, softmax (another write-up: 97.67 % test after 100 epochs of Adam, batch 1000)",
            () => new Model("mlp", Mnist,
                [new Flatten(), new Dense(128, relu: true), new Dense(64, relu: true), new Dense(16, relu: true), new Dense(10)],
                LossKind.SoftmaxCrossEntropy),
            new(100, 1000, OptimizerKind.Adam, 1e-3, ScheduleKind.Constant)),
        new("lenet5", "LeNet-5 with ReLU and max pooling: conv5×5(6, pad 2)-pool-conv5×5(16)-pool-120-84-10",
            () => new Model("lenet5", Mnist,
                [new Conv(6, 5, padding: 2, relu: true), new MaxPool(), new Conv(16, 5, relu: true), new MaxPool(), new Flatten(),
                 new Dense(120, relu: true), new Dense(84, relu: true), new Dense(10)],
                LossKind.SoftmaxCrossEntropy),
            new(10, 64, OptimizerKind.Adam, 1e-3, ScheduleKind.Step)),
        new("cnn", "PyTorch's MNIST example: conv3×3(32)-conv3×3(64)-maxpool-dropout(0.25)-128-dropout(0.5)-10",
            () => new Model("cnn", Mnist,
                [new Conv(32, 3, relu: true), new Conv(64, 3, relu: true), new MaxPool(), new Dropout(0.25f), new Flatten(),
                 new Dense(128, relu: true), new Dropout(0.5f), new Dense(10)],
                LossKind.SoftmaxCrossEntropy),
            new(10, 64, OptimizerKind.Adam, 1e-3, ScheduleKind.Step)),
        new("cnn-plus", "three conv3×3 blocks (32, 64, 128, padded, each max-pooled)-dropout-256-dropout-10, random shifts of ±2 px, cosine schedule",
            () => new Model("cnn-plus", Mnist,
                [new Conv(32, 3, padding: 1, relu: true), new MaxPool(), new Conv(64, 3, padding: 1, relu: true), new MaxPool(),
                 new Conv(128, 3, padding: 1, relu: true), new MaxPool(), new Flatten(), new Dropout(0.4f),
                 new Dense(256, relu: true), new Dropout(0.4f), new Dense(10)],
                LossKind.SoftmaxCrossEntropy),
            new(15, 128, OptimizerKind.Adam, 1e-3, ScheduleKind.Cosine, MaxShift: 2)),
    ];

    /// <summary>The recipe called <paramref name="name"/>, or an <see cref="ArgumentException"/> listing the names.</summary>
    public static ModelRecipe Get(string name) =>
        All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no model '{name}': choose one of {string.Join(", ", All.Select(r => r.Name))}");
}
