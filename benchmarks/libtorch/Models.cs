using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace GpuConvNet.LibTorchBaseline;

/// <summary>The model zoo of benchmarks/pytorch/models.py, layer for layer (and so of src/GpuConvNet/Nn/ModelZoo.cs).</summary>
internal static class Models
{
    public static Sequential MlpSmall() => Sequential(Flatten(), Linear(784, 100), ReLU(), Linear(100, 10));

    public static Sequential Mlp() =>
        Sequential(Flatten(), Linear(784, 128), ReLU(), Linear(128, 64), ReLU(), Linear(64, 16), ReLU(), Linear(16, 10));

    public static Sequential LeNet5() =>
        Sequential(Conv2d(1, 6, 5, padding: 2), ReLU(), MaxPool2d(2),
                   Conv2d(6, 16, 5), ReLU(), MaxPool2d(2), Flatten(),
                   Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10));

    public static Sequential Cnn() =>
        Sequential(Conv2d(1, 32, 3), ReLU(), Conv2d(32, 64, 3), ReLU(), MaxPool2d(2),
                   Dropout(0.25), Flatten(), Linear(9216, 128), ReLU(), Dropout(0.5), Linear(128, 10));

    public static Sequential CnnPlus() =>
        Sequential(Conv2d(1, 32, 3, padding: 1), ReLU(), MaxPool2d(2),
                   Conv2d(32, 64, 3, padding: 1), ReLU(), MaxPool2d(2),
                   Conv2d(64, 128, 3, padding: 1), ReLU(), MaxPool2d(2), Flatten(),
                   Dropout(0.4), Linear(1152, 256), ReLU(), Dropout(0.4), Linear(256, 10));

    public static Sequential Fast() =>
        Sequential(Conv2d(1, 16, 3, padding: 1), BatchNorm2d(16), ReLU(), MaxPool2d(2),
                   Conv2d(16, 32, 3, padding: 1), BatchNorm2d(32), ReLU(), MaxPool2d(2), Flatten(),
                   Linear(1568, 128), BatchNorm1d(128), ReLU(), Linear(128, 10));

    public static IReadOnlyDictionary<string, Func<Sequential>> ByName { get; } = new Dictionary<string, Func<Sequential>>
    {
        ["mlp-small"] = MlpSmall, ["mlp"] = Mlp, ["lenet5"] = LeNet5, ["cnn"] = Cnn, ["cnn-plus"] = CnnPlus, ["fast"] = Fast,
    };
}
