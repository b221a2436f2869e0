using System.Diagnostics;

namespace GpuConvNet.Compute.Ilgpu;

/// <summary>
/// Turns ILGPU's CPU-accelerator assertions into launch errors. ILGPU checks view indices with <c>Trace.Assert</c> on
/// its lane threads; the default listener then ends the process ("Process terminated. Assertion Failed"), and an
/// exception thrown there would be unhandled on that thread, which ends it too. So, while one of our launches runs
/// on ILGPU's CPU accelerator, a listener in front of the others records the first assertion and lets the lane go on;
/// the launch then throws <see cref="KernelExecutionException"/> naming the kernel, with ILGPU's message.
/// The access itself still happens (the buffers' guard elements absorb small overruns): results of a faulted launch
/// are garbage, as on a GPU, but the process and the test run survive. Outside our launches every call goes to the
/// listeners that were there before.
/// </summary>
internal static class IlgpuCpuFaults
{
    // One ILGPU CPU launch at a time in the process: an assertion on a lane thread cannot name its launch otherwise.
    private static readonly Lock LaunchGate = new();

    // How long a launch waits for an earlier one: past it, the earlier launch is taken to hang (a lane that left
    // before a barrier the others wait at hangs ILGPU's CPU accelerator), and later launches fail instead of queueing.
    private static readonly TimeSpan BusyLimit = TimeSpan.FromSeconds(30);

    // Set once a launch gave up waiting: later ones fail at once, until the hung launch ends, instead of 30 s each.
    private static volatile bool hung;
    private static readonly Lock InstallGate = new();
    private static bool installed;
    private static volatile bool capturing;
    private static string? firstFault;

    /// <summary>Runs <paramref name="launch"/> (which must wait for the kernel) and returns the first fault, or null.</summary>
    public static string? Capture(Action launch)
    {
        Install();
        if (!LaunchGate.TryEnter(hung ? TimeSpan.Zero : BusyLimit))
        {
            hung = true;
            throw new KernelExecutionException(
                $"ILGPU's CPU accelerator is still running an earlier launch after {BusyLimit.TotalSeconds:N0} s: it hangs " +
                "(lanes that do not all reach the same barriers hang ILGPU's CPU accelerator; run the kernel on 'cpu', which reports that)");
        }
        try
        {
            hung = false;
            firstFault = null;
            capturing = true;
            try
            {
                launch();
            }
            finally
            {
                capturing = false;
            }
            return Interlocked.Exchange(ref firstFault, null);
        }
        finally
        {
            LaunchGate.Exit();
        }
    }

    private static void Install()
    {
        lock (InstallGate)
        {
            if (installed)
            {
                return;
            }
            var previous = Trace.Listeners.Cast<TraceListener>().ToArray();
            Trace.Listeners.Clear();
            Trace.Listeners.Add(new FaultListener(previous));
            installed = true;
        }
    }

    // The kernel's own frame is not on the stack to name: the JIT inlines the twin into ILGPU's launcher. The launch
    // that captured the fault names the kernel.
    private static void Record(string? message) =>
        Interlocked.CompareExchange(ref firstFault, message ?? "assertion failed", null);

    private sealed class FaultListener(TraceListener[] previous) : TraceListener
    {
        public override void Fail(string? message, string? detailMessage)
        {
            if (capturing)
            {
                Record(message);
                return;
            }
            foreach (var listener in previous)
            {
                listener.Fail(message, detailMessage);
            }
        }

        public override void Write(string? message)
        {
            foreach (var listener in previous)
            {
                listener.Write(message);
            }
        }

        public override void WriteLine(string? message)
        {
            foreach (var listener in previous)
            {
                listener.WriteLine(message);
            }
        }
    }
}
