using System.CommandLine;
using System.CommandLine.Parsing;
using GpuConvNet.Nn;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>train</c>'s options, and the checks of their values that parsing alone does not make.</summary>
internal sealed class TrainOptions
{
    /// <summary>The largest --batch.</summary>
    public const int MaxBatch = 65536;

    /// <summary>The options, --model limited to the zoo's names.</summary>
    public TrainOptions()
    {
        Model.AcceptOnlyFromAmong([.. ModelZoo.All.Select(r => r.Name)]);
    }

    /// <summary>--model.</summary>
    public Option<string> Model { get; } = new("--model", "-m")
    {
        Description = $"Model: {string.Join(", ", ModelZoo.All.Select(r => r.Name))}",
        DefaultValueFactory = _ => ModelZoo.DefaultModel,
    };

    /// <summary>--device.</summary>
    public Option<string> Device { get; } = SharedOptions.Device();

    /// <summary>--epochs (null: the model's default).</summary>
    public Option<int?> Epochs { get; } = new("--epochs", "-e") { Description = $"Epochs {SharedOptions.PerModelDefault(d => d.Epochs)}" };

    /// <summary>--batch (null: the model's default).</summary>
    public Option<int?> Batch { get; } = new("--batch", "-b") { Description = $"Batch size {SharedOptions.PerModelDefault(d => d.BatchSize)}" };

    /// <summary>--lr (null: the model's default).</summary>
    public Option<double?> LearningRate { get; } = new("--lr") { Description = $"Initial learning rate {SharedOptions.PerModelDefault(d => d.LearningRate)}" };

    /// <summary>--optimizer (null: the model's default).</summary>
    public Option<string?> Optimizer { get; } = SharedOptions.Choice("--optimizer",
        $"sgd (momentum 0.9) or adam {SharedOptions.PerModelDefault(d => d.Optimizer)}", SharedOptions.Names<OptimizerKind>());

    /// <summary>--schedule (null: the model's default).</summary>
    public Option<string?> Schedule { get; } = SharedOptions.Choice("--schedule",
        $"constant, step (×0.7 per epoch), cosine, or onecycle (up for a quarter, then down, per step) {SharedOptions.PerModelDefault(d => d.Schedule)}",
        SharedOptions.Names<ScheduleKind>());

    /// <summary>--shift (null: the model's default).</summary>
    public Option<int?> Shift { get; } = new("--shift") { Description = $"Random-shift augmentation in pixels {SharedOptions.PerModelDefault(d => d.MaxShift)}" };

    /// <summary>--rotate (null: the model's default).</summary>
    public Option<float?> Rotate { get; } = new("--rotate")
    {
        Description = $"Random-rotation augmentation: each training image turned by up to this many degrees either way {SharedOptions.PerModelDefault(d => d.MaxRotation)}",
    };

    /// <summary>--scale (null: the model's default).</summary>
    public Option<float?> Scale { get; } = new("--scale")
    {
        Description = $"Random-scale augmentation: each training image resized by a factor in [1 - s, 1 + s] {SharedOptions.PerModelDefault(d => d.MaxScale)}",
    };

    /// <summary>--elastic-alpha (0: no elastic distortion).</summary>
    public Option<float> ElasticAlpha { get; } = new("--elastic-alpha")
    {
        Description = "Elastic-distortion augmentation: each training image displaced by its own smooth random field of this scale in pixels (MNIST's usual: 34; 0: none)",
        DefaultValueFactory = _ => 0f,
    };

    /// <summary>--elastic-sigma.</summary>
    public Option<float> ElasticSigma { get; } = new("--elastic-sigma")
    {
        Description = "Smoothing of the elastic distortion's field: a Gaussian's standard deviation in pixels",
        DefaultValueFactory = _ => DefaultElasticSigma,
    };

    /// <summary>--elastic-sigma's default, Simard et al.'s value for MNIST.</summary>
    public const float DefaultElasticSigma = 4f;

    /// <summary>--weight-decay.</summary>
    public Option<float> WeightDecay { get; } = new("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => 0f };

    /// <summary>--validation.</summary>
    public Option<double> Validation { get; } = new("--validation")
    {
        Description = "Fraction of the training set held out for validation",
        DefaultValueFactory = _ => 0.1,
    };

    /// <summary>--seed.</summary>
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of initialisation, split, shuffling, dropout, augmentation", DefaultValueFactory = _ => 1 };

    /// <summary>--dataset, --data and the image-folder options.</summary>
    public DataOptions Data { get; } = new();

    /// <summary>--out.</summary>
    public Option<string?> Output { get; } = new("--out", "-o") { Description = "Output folder [default: runs/<model>-<time>]" };

    /// <summary>--resume.</summary>
    public Option<string?> Resume { get; } = new("--resume")
    {
        Description = "Continue the run whose last checkpoint (<model>.safetensors) this is, in its folder, with its settings; --epochs trains further",
    };

    /// <summary>The options, in the order the help lists them (the data options are added after them).</summary>
    public IEnumerable<Option> All =>
        [Model, Device, Epochs, Batch, LearningRate, Optimizer, Schedule, Shift, Rotate, Scale, ElasticAlpha, ElasticSigma, WeightDecay, Validation, Seed, Output, Resume];

    /// <summary>Adds an error to <paramref name="result"/> for each value out of range or contradicting --resume.</summary>
    public void Check(CommandResult result)
    {
        // Values that do not convert are already parse errors: check only those that do.
        if (SharedOptions.TryGetValue(result, Epochs, out var e) && e is < 1)
        {
            result.AddError($"--epochs must be at least 1, not {e}");
        }
        // A batch's activations are sized in ints: far beyond any data set, the sizes would overflow.
        if (SharedOptions.TryGetValue(result, Batch, out var b) && b is < 1 or > MaxBatch)
        {
            result.AddError($"--batch must be from 1 to {MaxBatch}, not {b}");
        }
        if (SharedOptions.TryGetValue(result, Shift, out var s) && s is < 0)
        {
            result.AddError($"--shift must not be negative, not {s}");
        }
        // Negated comparisons: NaN fails them all.
        if (SharedOptions.TryGetValue(result, Rotate, out var r) && r is { } degrees && !(degrees is >= 0f and <= 180f))
        {
            result.AddError($"--rotate must be from 0 to 180 degrees, not {degrees}");
        }
        if (SharedOptions.TryGetValue(result, Scale, out var z) && z is { } scale && !(scale is >= 0f and < 1f))
        {
            result.AddError($"--scale must be at least 0 and less than 1 (0.1: sizes from 90 % to 110 %), not {scale}");
        }
        CheckElastic(result);
        CheckResume(result);
        // NaN compares false with everything, and 1e400 parses as infinity: say finite explicitly.
        if (SharedOptions.TryGetValue(result, LearningRate, out var lr) && lr is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            result.AddError($"--lr must be a positive finite number, not {rate}");
        }
        if (SharedOptions.TryGetValue(result, WeightDecay, out var decay) && !(decay >= 0 && float.IsFinite(decay)))
        {
            result.AddError($"--weight-decay must be a finite number ≥ 0, not {decay}");
        }
        if (SharedOptions.TryGetValue(result, Validation, out var v) && v is not (>= 0 and < 1))
        {
            result.AddError("--validation must be in [0, 1)");
        }
    }

    private void CheckElastic(CommandResult result)
    {
        // Negated comparisons: NaN fails them all; 1e400 parses as infinity.
        bool alphaGiven = SharedOptions.TryGetValue(result, ElasticAlpha, out var alpha);
        if (alphaGiven && !(alpha >= 0f && float.IsFinite(alpha)))
        {
            result.AddError($"--elastic-alpha must be a finite number ≥ 0 (pixels; 34 is MNIST's usual, 0 none), not {alpha}");
        }
        if (SharedOptions.TryGetValue(result, ElasticSigma, out var sigma) && !(sigma > 0f && sigma <= Kernels.Elastic.MaxSigma))
        {
            result.AddError($"--elastic-sigma must be more than 0 and at most {Kernels.Elastic.MaxSigma} pixels, not {sigma}");
        }
        else if (result.GetResult(ElasticSigma) is { Implicit: false } && result.GetResult(Resume) is not { Implicit: false } && !(alphaGiven && alpha > 0f))
        {
            result.AddError("--elastic-sigma smooths the elastic distortion that --elastic-alpha turns on: give --elastic-alpha too (34 is MNIST's usual)");
        }
    }

    // A resumed run keeps the settings it was started with: say so rather than ignore what contradicts them.
    private void CheckResume(CommandResult result)
    {
        var contradicting = new Option[] { Model, Batch, LearningRate, Optimizer, Schedule, Shift, Rotate, Scale, ElasticAlpha, ElasticSigma, WeightDecay, Validation, Seed, Output, Data.Size, Data.Preprocess, Data.TestFraction }
            .Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (result.GetResult(Resume) is { Implicit: false } && contradicting.Count > 0)
        {
            result.AddError($"--resume continues a run with the settings it was started with, so {string.Join(", ", contradicting)} cannot be changed; drop {(contradicting.Count == 1 ? "it" : "them")} (--epochs, --device, --data and --dataset may be given), or start a new run without --resume");
        }
    }
}
