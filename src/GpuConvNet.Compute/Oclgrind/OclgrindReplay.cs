using System.Globalization;
using System.Text;
using GpuConvNet.Compute.OpenCL;
using static GpuConvNet.Compute.OpenCL.OpenCLNative;

namespace GpuConvNet.Compute.Oclgrind;

/// <summary>
/// Writes a launch as a simulation for <c>oclgrind-kernel</c> (Oclgrind's runner for one kernel outside any host
/// program): the kernel's OpenCL C, and a <c>.sim</c> file with the sizes and every argument's bytes as they are at
/// launch. Oclgrind's uninitialised-value check crashes a .NET process that loads Oclgrind (in-process and in a test
/// process of its own alike, Oclgrind 21.10), but works in <c>oclgrind-kernel</c>: replaying launches there is how that
/// check reaches our kernels (<c>oclgrind-kernel --uninitialized KERNEL.sim</c>).
/// </summary>
internal static unsafe class OclgrindReplay
{
    /// <summary>
    /// Writes <c>NAME.cl</c> and <c>NAME.sim</c> into <paramref name="directory"/> for this launch, or nothing for a
    /// launch the runner cannot repeat: an unbound view, an empty buffer or extent, dynamic shared memory.
    /// </summary>
    public static void Write(OpenCLAccelerator accelerator, string directory, KernelDefinition kernel, Index3D extent,
        KernelConfig config, object?[] args)
    {
        if (kernel.DynamicSharedMemory)
        {
            // Its __local argument has a size but no contents, which this writer has no form for: Oclgrind checks
            // the launch in-process all the same.
            return;
        }
        string name = kernel.Name.Replace('.', '_');
        var sim = new StringBuilder();
        sim.Append(CultureInfo.InvariantCulture, $"{name}.cl\n{kernel.EntryPoint}\n");
        if (kernel.IsGrouped)
        {
            var grid = config.GridDim;
            var group = config.GroupDim;
            sim.Append(CultureInfo.InvariantCulture, $"{grid.X * group.X} {grid.Y * group.Y} {grid.Z * group.Z}\n{group.X} {group.Y} {group.Z}\n");
        }
        else
        {
            if (extent.X * (long)extent.Y * extent.Z == 0)
            {
                return;
            }
            // One work-item a group: an auto-grouped kernel has no barriers, so any group shape is the same kernel.
            sim.Append(CultureInfo.InvariantCulture, $"{extent.X} {extent.Y} {extent.Z}\n1 1 1\n");
            ReadOnlySpan<int> extents = [extent.X, extent.Y, extent.Z];
            for (int d = 0; d < kernel.IndexRank; d++)
            {
                Bytes(sim, BitConverter.GetBytes(extents[d]));
            }
        }
        for (int i = 0; i < kernel.Parameters.Count; i++)
        {
            if (kernel.Parameters[i].Kind == KernelParameterKind.Specialized)
            {
                // In the source written below, not an argument.
                continue;
            }
            if (args[i] is IArrayView view)
            {
                if (view.Buffer is not IOpenCLBuffer { Handle: not 0 } buffer)
                {
                    return;
                }
                Bytes(sim, Contents(accelerator, buffer.Handle, (long)view.Buffer.Length * view.ElementSize));
                Bytes(sim, BitConverter.GetBytes(view.Offset));
                Bytes(sim, BitConverter.GetBytes(view.Length));
            }
            else
            {
                Bytes(sim, args[i] switch
                {
                    int value => BitConverter.GetBytes(value),
                    uint value => BitConverter.GetBytes(value),
                    long value => BitConverter.GetBytes(value),
                    _ => BitConverter.GetBytes((float)args[i]!),
                });
            }
        }
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".cl"), kernel.SourceFor(KernelDialects.OpenCL, args));
        File.WriteAllText(Path.Combine(directory, name + ".sim"), sim.ToString());
    }

    // Every argument as raw bytes, so that floats and buffers reach the runner bit for bit.
    private static void Bytes(StringBuilder sim, byte[] bytes)
    {
        sim.Append(CultureInfo.InvariantCulture, $"\n<size={bytes.Length} hex uchar>\n");
        sim.AppendJoin(' ', bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        sim.Append('\n');
    }

    private static byte[] Contents(OpenCLAccelerator accelerator, nint handle, long length)
    {
        var bytes = new byte[length];
        fixed (byte* p = bytes)
        {
            Check(clEnqueueReadBuffer(accelerator.Queue, handle, True, 0, (nuint)length, p, 0, null, null),
                "clEnqueueReadBuffer", $"{length:N0} bytes for a replay of a launch on {accelerator.Name}");
        }
        return bytes;
    }
}
