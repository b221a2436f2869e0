namespace GpuConvNet.Compute;

/// <summary>
/// What an engine compiled: one program per kernel, variant (an engine's choice of entry point) and specialisation
/// (<see cref="KernelDefinition.SpecializationKey"/>), with at most <see cref="KernelDefinition.MaxSpecializations"/>
/// specialisations per kernel so that a caller passing a new value every launch cannot fill memory with programs.
/// Not thread-safe: engines call it under their build lock.
/// </summary>
internal sealed class CompiledKernels<TCompiled>
{
    private readonly Dictionary<(KernelDefinition Kernel, string Variant, string Specialization), TCompiled> compiled = [];
    private readonly Dictionary<KernelDefinition, HashSet<string>> specializations = [];

    /// <summary>Everything compiled so far, for the engine to release.</summary>
    public IEnumerable<TCompiled> All => compiled.Values;

    /// <summary>
    /// The program for this launch, compiled by <paramref name="build"/> from <paramref name="state"/> on first use
    /// (a static lambda and its state: every launch asks, and a capturing lambda would allocate on each).
    /// </summary>
    public TCompiled GetOrAdd<TState>(KernelDefinition kernel, string variant, object?[] args, TState state, Func<TState, TCompiled> build)
    {
        string specialization = kernel.SpecializationKey(args);
        if (compiled.TryGetValue((kernel, variant, specialization), out var existing))
        {
            return existing;
        }
        if (specialization.Length > 0)
        {
            if (!specializations.TryGetValue(kernel, out var seen))
            {
                specializations[kernel] = seen = [];
            }
            if (!seen.Contains(specialization) && seen.Count >= KernelDefinition.MaxSpecializations)
            {
                throw new ArgumentException(
                    $"kernel {kernel.Name}: {specialization} would be its {seen.Count + 1}th specialisation; each value is compiled " +
                    $"into its own program and an engine keeps at most {KernelDefinition.MaxSpecializations} per kernel: pass one of a few values " +
                    "(a tile size per device, not one per problem size), or make the parameter a plain scalar");
            }
            seen.Add(specialization);
        }
        var built = build(state);
        compiled.Add((kernel, variant, specialization), built);
        return built;
    }

    /// <summary>Forgets everything (after the engine released it).</summary>
    public void Clear()
    {
        compiled.Clear();
        specializations.Clear();
    }
}
