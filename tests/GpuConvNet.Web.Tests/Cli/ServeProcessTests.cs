using System.Diagnostics;
using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Nn;

namespace GpuConvNet.Web.Tests.Cli;

/// <summary><c>gpuconvnet serve</c> as a process: it prints its address, answers, and stops cleanly on Ctrl+C (SIGINT).</summary>
[TestClass]
public sealed class ServeProcessTests
{
    [TestMethod]
    public async Task Serve_PrintsItsAddress_Answers_AndStopsGracefullyOnCtrlC()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Inconclusive("sends SIGINT with kill(1)");
        }
        using var dir = new GpuConvNet.Tests.Data.TempDirectory();
        string checkpoint = dir.File("mlp.safetensors");
        using (var model = ModelZoo.Get("mlp").Create())
        using (var cpu = Accelerators.Create("cpu"))
        {
            model.Build(cpu, 8, seed: 1);
            ModelCheckpoint.Save(checkpoint, model, new Dictionary<string, string> { ["epoch"] = "3" });
        }
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "GpuConvNet.Cli.exe" : "GpuConvNet.Cli"),
            ["serve", checkpoint, "--device", "cpu", "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            string? line;
            string? address = null;
            while (address is null && (line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) is not null)
            {
                int at = line.IndexOf("http://", StringComparison.Ordinal);
                address = at >= 0 ? line[at..].Trim() : null;
            }
            Assert.IsNotNull(address, "serve prints the address it listens on");
            using var client = new HttpClient();
            Assert.AreEqual("{\"status\":\"ok\"}", await client.GetStringAsync(address + "/healthz"));

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.AreEqual(0, process.ExitCode, await process.StandardError.ReadToEndAsync());
            StringAssert.Contains(await process.StandardOutput.ReadToEndAsync(), "stopped after 0 predictions in 0 batches");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
