using System.CommandLine;
using System.Globalization;
using GpuConvNet.Compute;
using GpuConvNet.Kernels;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary>
/// <c>gpuconvnet tune</c>: races the tuned ops' variants on a device again (after a driver update, or to replace a
/// choice made while the machine was busy), keeps the rankings in the per-user cache and prints what it measured.
/// </summary>
public static class TuneCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var device = SharedOptions.Device();
        var command = new Command("tune", "Measure the matrix-multiply, convolution, batch-norm and max-pooling variants on a device again and keep the fastest (run it on a quiet machine)")
        {
            device,
        };
        command.SetAction(parsed =>
        {
            using var accelerator = CommandLine.OpenDevice(parsed.GetValue(device)!);
            if (!accelerator.Engine.Has(EngineCapabilities.Tunable))
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"nothing to tune on {accelerator.Device.Id}: the {accelerator.Engine.Id} engine takes fixed variants (only engines that compile device code race them)");
                return 0;
            }
            var table = new Table().AddColumns("op", "variant", "rate (median of 3)", "spread", "");
            AddRows(table, "matmul", "GFLOP/s", MatMulTuning.Tune(accelerator));
            AddRows(table, "conv2d", "GFLOP/s", Conv2DTuning.Tune(accelerator));
            AddRows(table, "batchnorm", "GB/s", BatchNormTuning.Tune(accelerator));
            AddRows(table, "maxpool forward", "GB/s", MaxPoolTuning.TuneForward(accelerator));
            AddRows(table, "maxpool backward", "GB/s", MaxPoolTuning.TuneBackward(accelerator));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"kept in {KernelTuning.CacheDirectory ?? "this process only"} for {KernelTuning.Key(accelerator.Device)}");
            return 0;
        });
        return command;
    }

    private static void AddRows<T>(Table table, string op, string unit, TuningResult<T> result) where T : struct, Enum
    {
        foreach (var variant in result.Ranking)
        {
            string verdict = !variant.Equals(result.Ranking[0]) ? ""
                : result.Settled ? "[bold]chosen[/]" : "[yellow]chosen for now: the races disagreed (a busy machine?); measured again next run[/]";
            table.AddRow(op, variant.ToString(),
                result.MedianRates[variant].ToString("F1", CultureInfo.InvariantCulture) + " " + unit,
                result.Spread[variant].ToString("P0", CultureInfo.InvariantCulture), verdict);
        }
    }
}
