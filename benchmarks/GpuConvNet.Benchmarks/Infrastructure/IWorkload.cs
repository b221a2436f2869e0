namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>
/// What one invocation of a benchmark's timed method does, so that columns can report throughput instead of time.
/// Implemented by each suite from its parameters (set before these are read).
/// </summary>
public interface IWorkload
{
    /// <summary>Floating-point operations per invocation (a multiply-add counts 2).</summary>
    double Flops { get; }

    /// <summary>Bytes a kernel must move per invocation at least (inputs read once, outputs written once).</summary>
    double Bytes { get; }

    /// <summary>Images processed per invocation (model suites: reported as images/s); 0 for kernel suites.</summary>
    double Images => 0;
}
