using GpuConvNet.Nn.Layers;

namespace GpuConvNet.Nn;

/// <summary>How a model trains when the command line does not say otherwise.</summary>
/// <param name="Epochs">Epochs.</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="Optimizer">Optimiser.</param>
/// <param name="LearningRate">Initial learning rate.</param>
/// <param name="Schedule">Learning-rate schedule.</param>
/// <param name="MaxShift">Random-shift augmentation in pixels.</param>
/// <param name="MaxRotation">Random-rotation augmentation in degrees either way.</param>
/// <param name="MaxScale">Random-scale augmentation: the largest relative change of size.</param>
public sealed record TrainingDefaults(int Epochs, int BatchSize, OptimizerKind Optimizer, double LearningRate, ScheduleKind Schedule, int MaxShift = 0,
    float MaxRotation = 0f, float MaxScale = 0f);

/// <summary>A named model: what it is, how to build it, and how it trains by default.</summary>
/// <param name="Name">Command-line name.</param>
/// <param name="Description">One line: architecture and origin.</param>
/// <param name="CreateFor">Makes a fresh, unbuilt model for an input shape and a number of classes.</param>
/// <param name="Defaults">Training defaults.</param>
public sealed record ModelRecipe(string Name, string Description, Func<Shape, int, Model> CreateFor, TrainingDefaults Defaults)
{
    /// <summary>A fresh, unbuilt model for MNIST: (1, 28, 28) images, ten classes.</summary>
    public Model Create() => Create(ModelZoo.MnistInput, 10);

    /// <summary>
    /// A fresh, unbuilt model for <paramref name="input"/> images and <paramref name="classes"/> classes: the first
    /// dense layer takes whatever the convolutions leave, the last has one output per class (sizes too small for the
    /// convolutions and pools are refused when the model is built).
    /// </summary>
    public Model Create(Shape input, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        return CreateFor(input, classes);
    }
}

/// <summary>The MNIST models the command line trains by name, each described in a few lines.</summary>
public static class ModelZoo
{
    /// <summary>The model <c>train</c> uses without <c>--model</c>: small enough for a CPU, a real CNN.</summary>
    public const string DefaultModel = "lenet5";

    /// <summary>MNIST's input: one channel of 28 × 28.</summary>
    public static Shape MnistInput { get; } = new(1, 28, 28);

    /// <summary>Every model, in order of size.</summary>
    public static IReadOnlyList<ModelRecipe> All { get; } =
    [
        new("mlp-small", "784-100-10, ReLU hidden, sigmoid outputs with binary cross-entropy (one MNIST write-up: 99.4 % training accuracy)",
            (input, classes) => new Model("mlp-small", input, [new Flatten(), new Dense(100, relu: true), new Dense(classes)], LossKind.SigmoidBinaryCrossEntropy),
            new(10, 64, OptimizerKind.Adam, 1e-3, ScheduleKind.Constant)),
        new("mlp", "784-128-64-16-10 ReLU, softmax (another write-up: 97.67 % test after 100 epochs of Adam, batch 1000)",
            (input, classes) => new Model("mlp", input,
                [new Flatten(), new Dense(128, relu: true), new Dense(64, relu: true), new Dense(16, relu: true), new Dense(classes)],
                LossKind.SoftmaxCrossEntropy),
            new(100, 1000, OptimizerKind.Adam, 1e-3, ScheduleKind.Constant)),
        new("lenet5", "LeNet-5 with ReLU and max pooling: conv5×5(6, pad 2)-pool-conv5×5(16)-pool-120-84-10",
            (input, classes) => new Model("lenet5", input,
                [new Conv(6, 5, padding: 2, relu: true), new MaxPool(), new Conv(16, 5, relu: true), new MaxPool(), new Flatten(),
                 new Dense(120, relu: true), new Dense(84, relu: true), new Dense(classes)],
                LossKind.SoftmaxCrossEntropy),
            new(10, 64, OptimizerKind.Adam, 1e-3, ScheduleKind.Step)),
        new("cnn", "PyTorch's MNIST example: conv3×3(32)-conv3×3(64)-maxpool-dropout(0.25)-128-dropout(0.5)-10",
            (input, classes) => new Model("cnn", input,
                [new Conv(32, 3, relu: true), new Conv(64, 3, relu: true), new MaxPool(), new Dropout(0.25f), new Flatten(),
                 new Dense(128, relu: true), new Dropout(0.5f), new Dense(classes)],
                LossKind.SoftmaxCrossEntropy),
            new(10, 64, OptimizerKind.Adam, 1e-3, ScheduleKind.Step)),
        new("cnn-plus", "three conv3×3 blocks (32, 64, 128, padded, each max-pooled)-dropout-256-dropout-10, random shifts of ±2 px, cosine schedule",
            (input, classes) => new Model("cnn-plus", input,
                [new Conv(32, 3, padding: 1, relu: true), new MaxPool(), new Conv(64, 3, padding: 1, relu: true), new MaxPool(),
                 new Conv(128, 3, padding: 1, relu: true), new MaxPool(), new Flatten(), new Dropout(0.4f),
                 new Dense(256, relu: true), new Dropout(0.4f), new Dense(classes)],
                LossKind.SoftmaxCrossEntropy),
            new(15, 128, OptimizerKind.Adam, 1e-3, ScheduleKind.Cosine, MaxShift: 2)),
        new("fast", "the speed run: conv3×3(16, padded)-BN-ReLU-pool-conv3×3(32, padded)-BN-ReLU-pool-128-BN-ReLU-10, one-cycle Adam, 2 epochs",
            (input, classes) => new Model("fast", input,
                [new Conv(16, 3, padding: 1), new BatchNorm(relu: true), new MaxPool(),
                 new Conv(32, 3, padding: 1), new BatchNorm(relu: true), new MaxPool(), new Flatten(),
                 new Dense(128), new BatchNorm(relu: true), new Dense(classes)],
                LossKind.SoftmaxCrossEntropy),
            new(2, 128, OptimizerKind.Adam, 4e-3, ScheduleKind.OneCycle)),
        new("cnn-best", "best accuracy: conv3×3 blocks 32-32, 64-64, 128 (padded, batch-normalised, max-pooled)-dropout-256-BN-dropout-10, random rotations (±10°), scales (±10 %) and shifts (±2 px), one-cycle Adam, 30 epochs",
            (input, classes) => new Model("cnn-best", input,
                [new Conv(32, 3, padding: 1), new BatchNorm(relu: true), new Conv(32, 3, padding: 1), new BatchNorm(relu: true), new MaxPool(),
                 new Conv(64, 3, padding: 1), new BatchNorm(relu: true), new Conv(64, 3, padding: 1), new BatchNorm(relu: true), new MaxPool(),
                 new Conv(128, 3, padding: 1), new BatchNorm(relu: true), new MaxPool(), new Flatten(), new Dropout(0.4f),
                 new Dense(256), new BatchNorm(relu: true), new Dropout(0.4f), new Dense(classes)],
                LossKind.SoftmaxCrossEntropy),
            new(30, 128, OptimizerKind.Adam, 2e-3, ScheduleKind.OneCycle, MaxShift: 2, MaxRotation: 10f, MaxScale: 0.1f)),
    ];

    /// <summary>The recipe called <paramref name="name"/>, or an <see cref="ArgumentException"/> listing the names.</summary>
    public static ModelRecipe Get(string name) =>
        All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no model '{name}': choose one of {string.Join(", ", All.Select(r => r.Name))}");
}
