using System.CommandLine;
using System.Globalization;
using GpuConvNet.Compute;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet devices</c>: every engine's accelerators here with their limits, and why an engine has none.</summary>
public static class DevicesCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("devices", $"List the accelerators of every engine ({string.Join(", ", Engines.All.Select(e => e.Id))}) on this machine and which one 'best' picks");
        command.SetAction(_ =>
        {
            // Two columns, the details stacked under the name: readable in 80 columns, where eight columns were not.
            var grid = new Spectre.Console.Grid().AddColumn(new GridColumn().NoWrap().PadRight(3)).AddColumn();
            string best = Accelerators.BestDevice.Id;
            foreach (var device in Accelerators.All)
            {
                string details = string.Create(CultureInfo.InvariantCulture,
                    $"{device.Type.ToString().ToUpperInvariant()}, {Words.Count(device.ComputeUnits, "compute unit")}, {device.MemoryBytes / (1 << 20):N0} MiB, " +
                    $"groups of up to {device.MaxGroupSize:N0}, {device.SharedMemoryPerGroup / 1024:N0} KiB shared per group");
                string tag = device.Id == best ? " [bold](best)[/]" : device.IsSimulator ? " [yellow](simulator: used only when named)[/]" : "";
                grid.AddRow(new Markup(device.Id == best ? $"[bold]{Markup.Escape(device.Id)}[/]" : Markup.Escape(device.Id)),
                    new Markup($"{Markup.Escape(device.Name)}{tag}\n[grey]{Markup.Escape(details)}\n{Markup.Escape(device.Platform)}\n{Markup.Escape(device.Engine.Summary)}[/]\n"));
            }
            AnsiConsole.Write(grid);
            foreach (var probe in Accelerators.Probes.Where(p => p.Unavailable is not null))
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]{probe.Engine.Id}: unavailable because {probe.Unavailable}[/]");
            }
            AnsiConsole.MarkupLineInterpolated($"best: [bold]{best}[/]");
            return 0;
        });
        return command;
    }
}
