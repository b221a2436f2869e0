namespace GpuConvNet.Compute;

/// <summary>Base of every error the compute layer raises on purpose.</summary>
public class ComputeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ComputeException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A native API call failed; the message names the call and the error (e.g. <c>CL_OUT_OF_RESOURCES</c>).</summary>
public class NativeCallException : ComputeException
{
    /// <summary>Creates the exception for <paramref name="call"/> returning <paramref name="errorName"/> (<paramref name="code"/>).</summary>
    public NativeCallException(string call, string errorName, int code, string? detail = null)
        : base($"{call} failed: {errorName} ({code}){(detail is null ? "" : ": " + detail)}")
    {
        Call = call;
        ErrorName = errorName;
        Code = code;
    }

    /// <summary>The native function that failed.</summary>
    public string Call { get; }

    /// <summary>The symbolic error name.</summary>
    public string ErrorName { get; }

    /// <summary>The numeric error code.</summary>
    public int Code { get; }
}

/// <summary>The device has no memory left for an allocation (or launch).</summary>
public sealed class DeviceOutOfMemoryException : NativeCallException
{
    /// <summary>Creates the exception.</summary>
    public DeviceOutOfMemoryException(string call, string errorName, int code, string detail)
        : base(call, errorName, code, detail) { }
}

/// <summary>A backend's native library (OpenCL ICD loader, CUDA driver, NVRTC) could not be loaded.</summary>
public sealed class BackendUnavailableException(string message, Exception? inner = null) : ComputeException(message, inner);

/// <summary>Generated device code failed to compile; the message holds the compiler log and the offending source line.</summary>
public sealed class KernelCompilationException(string kernel, string message) : ComputeException($"kernel {kernel}: {message}")
{
    /// <summary>The kernel that failed to build.</summary>
    public string Kernel { get; } = kernel;
}

/// <summary>A kernel failed on the CPU accelerator: an out-of-bounds access, barrier divergence, or an exception in its code.</summary>
public sealed class KernelExecutionException(string message, Exception? inner = null) : ComputeException(message, inner);
