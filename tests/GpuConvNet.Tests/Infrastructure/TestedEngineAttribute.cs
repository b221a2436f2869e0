namespace GpuConvNet.Tests.Infrastructure;

/// <summary>
/// One engine of the test matrix (the list is <c>TestedEngines.cs</c>): every suite derived from
/// <see cref="AcceleratorTest"/> gets a class <c>{Suite}On{Title}</c> that runs it there, written by
/// <c>GpuConvNet.Tests.Generator</c>.
/// </summary>
/// <param name="id">The engine's id (<c>opencl</c>), as <c>Engines</c> registers it.</param>
/// <param name="title">The class-name suffix (<c>OpenCL</c>).</param>
/// <param name="categories">Test categories of its classes (<c>Cuda</c>), for filtering.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class TestedEngineAttribute(string id, string title, params string[] categories) : Attribute
{
    /// <summary>The engine's id.</summary>
    public string Id { get; } = id;

    /// <summary>The class-name suffix.</summary>
    public string Title { get; } = title;

    /// <summary>Test categories of its classes.</summary>
    public IReadOnlyList<string> Categories { get; } = categories;

    /// <summary>
    /// True when CI installs what the engine needs, so that its absence under <c>CI=true</c> fails the tests instead
    /// of making them Inconclusive (the run would test less than it claims).
    /// </summary>
    public bool RequiredInCi { get; init; }
}

/// <summary>Leaves engines out of a suite's matrix; say why beside it.</summary>
/// <param name="ids">The engines' ids.</param>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NotOnEnginesAttribute(params string[] ids) : Attribute
{
    /// <summary>The engines left out.</summary>
    public IReadOnlyList<string> Ids { get; } = ids;
}
