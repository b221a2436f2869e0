using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;

namespace GpuConvNet.Inference;

/// <summary>One model of an ensemble: the path it was given by, and its file.</summary>
/// <param name="Path">The path, as the user gave it (it names the member in messages and reports).</param>
/// <param name="File">The model file read from it.</param>
public sealed record EnsembleMember(string Path, ModelFile File);

/// <summary>
/// Model files (checkpoints or ONNX models) whose class probabilities are averaged into one prediction, read and
/// checked before a device is opened: every member takes the same input, tells the same classes apart under the same
/// names, and turns pictures into inputs the same way (each normalises them as its own training data was). One file
/// is an ensemble of one, which predicts exactly as the model alone.
/// </summary>
public sealed class Ensemble
{
    private Ensemble(IReadOnlyList<EnsembleMember> members) => Members = members;

    /// <summary>The members, in the order given.</summary>
    public IReadOnlyList<EnsembleMember> Members { get; }

    /// <summary>What the members learnt from (the first member's: the others agree on everything but the normalisation).</summary>
    public TrainedOn TrainedOn => Members[0].File.TrainedOn;

    /// <summary>Reads every file of <paramref name="paths"/> and checks that they agree.</summary>
    /// <exception cref="UserInputException">A file cannot be read, or a member differs from the first: one line naming it and the difference.</exception>
    public static Ensemble Read(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("an ensemble needs at least one model file", nameof(paths));
        }
        var members = paths.Select(p => new EnsembleMember(p, ModelFile.Read(p))).ToList();
        foreach (var member in members.Skip(1))
        {
            if (Difference(members[0].File.TrainedOn, member.File.TrainedOn) is { } difference)
            {
                throw new UserInputException(
                    $"{member.Path} cannot join an ensemble with {members[0].Path}: {difference}; the members of an ensemble must take the same input and tell the same classes apart");
            }
        }
        return new Ensemble(members);
    }

    /// <summary>Every member built on <paramref name="accelerator"/> for batches up to <paramref name="maxBatch"/>, its weights loaded.</summary>
    /// <exception cref="UserInputException">Members give different kinds of probabilities (softmax, sigmoid).</exception>
    public LoadedEnsemble Build(Accelerator accelerator, int maxBatch = 256) => LoadedEnsemble.Build(this, accelerator, maxBatch);

    // What makes member b's probabilities not comparable, class for class, with a's, in words; null when nothing does.
    private static string? Difference(TrainedOn a, TrainedOn b)
    {
        if (a.Input != b.Input)
        {
            return $"its input is {Describe(b.Input)}, not {Describe(a.Input)}";
        }
        if (a.Classes != b.Classes)
        {
            return $"it has {b.Classes} classes, not {a.Classes}";
        }
        int renamed = Enumerable.Range(0, a.Classes).FirstOrDefault(c => !string.Equals(a.ClassNames[c], b.ClassNames[c], StringComparison.Ordinal), -1);
        if (renamed >= 0)
        {
            return $"its class {renamed} is '{b.ClassNames[renamed]}', not '{a.ClassNames[renamed]}'";
        }
        if (!string.Equals(a.Preprocessing.Name, b.Preprocessing.Name, StringComparison.Ordinal))
        {
            return $"it prepares pictures as '{b.Preprocessing.Name}', not '{a.Preprocessing.Name}'";
        }
        return null;
    }

    private static string Describe(Nn.Layers.Shape input) => $"{input.Channels}×{input.Height}×{input.Width}";
}
