using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Architecture;

/// <summary>
/// The app assembly's layers point the way <c>docs/dependencies.txt</c> says, read from the IL: a new edge fails
/// here, and so does a listed debt edge that is gone (delete its line). The table in <c>docs/ARCHITECTURE.md</c> is
/// written from the same file.
/// </summary>
[TestClass]
public sealed class DependencyTests
{
    private static readonly DependencyRules Rules = DependencyRules.Read(RepositoryFile("docs/dependencies.txt"));

    private static readonly IReadOnlySet<(string From, string To)> Actual =
        NamespaceDependencies.Read(typeof(GpuConvNet.AtomicFile).Assembly.Location, "GpuConvNet");

    [TestMethod]
    public void EveryEdgeOfTheAppAssembly_IsAllowedOrListedAsDebt()
    {
        var unexpected = Actual.Where(e => !Rules.Allows(e.From, e.To) && !Rules.Debt.Contains(e)).OrderBy(e => e).ToList();
        Assert.IsEmpty(unexpected, "edges docs/dependencies.txt does not allow (point the code the other way, or change the " +
            "design and the file together): " + string.Join(", ", unexpected.Select(e => $"{e.From} -> {e.To}")));
    }

    [TestMethod]
    public void EveryDebtEdge_StillExists()
    {
        var paid = Rules.Debt.Where(e => !Actual.Contains(e)).ToList();
        Assert.IsEmpty(paid, "debt edges that are gone: delete their lines from docs/dependencies.txt: " +
            string.Join(", ", paid.Select(e => $"{e.From} -> {e.To}")));
    }

    [TestMethod]
    public void TheArchitectureDocument_ShowsTheRulesFile()
    {
        string path = RepositoryFile("docs/ARCHITECTURE.md");
        string document = File.ReadAllText(path);
        string updated = Rules.WriteInto(document);
        if (updated != document && Environment.GetEnvironmentVariable("GPUCONVNET_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, updated);
            return;
        }
        Assert.AreEqual(updated, document, "docs/ARCHITECTURE.md's dependency table is not the one docs/dependencies.txt gives: run the tests with GPUCONVNET_UPDATE_DOCS=1");
    }

    [TestMethod]
    public void TheReader_FindsAKnownEdge_AndNoSelfEdges()
    {
        Assert.Contains(("Training", "Nn"), Actual, "the training loop runs the model");
        Assert.IsFalse(Actual.Any(e => e.From == e.To));
        Assert.IsFalse(Actual.Any(e => e.From.StartsWith("System", StringComparison.Ordinal) || e.To.StartsWith("System", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Prediction_SharesTheBatchLoopBelowTraining_NotTheEvaluator()
    {
        Assert.DoesNotContain(("Inference", "Training"), Actual, "Inference runs its model through Nn's InferencePass, without Training's evaluator");
        Assert.Contains(("Inference", "Nn"), Actual);
    }

    [TestMethod]
    public void Onnx_IsOpenedByInference_AndKnowsNothingOfTraining()
    {
        Assert.Contains(("Inference", "Onnx"), Actual, "ModelFile opens .onnx models");
        Assert.DoesNotContain(("Onnx", "Training"), Actual, "export and import need the layers and the checkpoints' metadata, not the training loop");
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GpuConvNet.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }
        Assert.Inconclusive("the repository (GpuConvNet.sln) is not above the test assembly");
        return "";
    }
}
