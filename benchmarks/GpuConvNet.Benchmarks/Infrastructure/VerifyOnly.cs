using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>
/// <c>--verify</c>: every case of the suites whose names contain a filter word is set up (which runs it once and checks it
/// against its float64 reference) and torn down, without timing: a quick proof that every benchmark still verifies.
/// </summary>
public static class VerifyOnly
{
    /// <summary>Sets up and cleans up every case; prints one line per case; returns the number that failed.</summary>
    public static int Run(Assembly assembly, IReadOnlyList<string> filters)
    {
        int failed = 0, passed = 0;
        var types = assembly.GetTypes().Where(t => t is { IsAbstract: false, IsPublic: true } && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkAttribute))))
            .Where(t => filters.Count == 0 || filters.Any(f => t.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        foreach (var type in types)
        {
            var setup = type.GetMethods().FirstOrDefault(m => m.IsDefined(typeof(GlobalSetupAttribute)));
            var cleanup = type.GetMethods().FirstOrDefault(m => m.IsDefined(typeof(GlobalCleanupAttribute)));
            // One instance per parameter combination; the cases of a type's several methods share their setup.
            var combinations = BenchmarkConverter.TypeToBenchmarks(type, DefaultConfig.Instance).BenchmarksCases
                .Select(c => c.Parameters).DistinctBy(p => p.DisplayInfo);
            foreach (var parameters in combinations)
            {
                var instance = Activator.CreateInstance(type)!;
                foreach (var item in parameters.Items)
                {
                    type.GetProperty(item.Name)?.SetValue(instance, item.Value);
                }
                string name = $"{type.Name} {parameters.DisplayInfo}";
                try
                {
                    setup?.Invoke(instance, null);
                    passed++;
                    Console.WriteLine($"verified {name}");
                }
                catch (TargetInvocationException e)
                {
                    failed++;
                    Console.WriteLine($"FAILED   {name}: {e.InnerException?.Message}");
                }
                finally
                {
                    try
                    {
                        cleanup?.Invoke(instance, null);
                    }
                    catch (TargetInvocationException)
                    {
                        // A setup that failed half-way leaves nothing to clean up; its failure is already reported.
                    }
                }
            }
        }
        Console.WriteLine($"{passed} verified, {failed} failed");
        return failed;
    }
}
