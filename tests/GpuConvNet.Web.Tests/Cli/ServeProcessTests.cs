using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GpuConvNet.Web.Tests.Infrastructure;

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
        string checkpoint = UntrainedModel.Save(dir.File("mlp.safetensors"));
        using var process = Serve(checkpoint, "--port", "0");
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

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
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

    [TestMethod]
    public async Task Serve_OnAPortInUse_SaysSoInOneLineOnStderr_AndNothingOfKestrelsLog()
    {
        using var dir = new GpuConvNet.Tests.Data.TempDirectory();
        string checkpoint = UntrainedModel.Save(dir.File("mlp.safetensors"));
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        string port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        using var process = Serve(checkpoint, "--host", "127.0.0.1", "--port", port);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.AreEqual(1, process.ExitCode);
        string stderr = (await error).TrimEnd();
        Assert.AreEqual($"gpuconvnet: cannot listen on 127.0.0.1:{port}: Failed to bind to address http://127.0.0.1:{port}: address already in use; choose another --port", stderr);
        string stdout = await output;
        Assert.DoesNotContain("   at ", stdout, "no stack trace: " + stdout);
        Assert.DoesNotContain("Kestrel", stdout, stdout);
    }

    [TestMethod]
    public async Task Serve_OnAnAddressOfAnotherMachine_SaysToChooseAnotherHost()
    {
        using var dir = new GpuConvNet.Tests.Data.TempDirectory();
        string checkpoint = UntrainedModel.Save(dir.File("mlp.safetensors"));

        // TEST-NET-1 (RFC 5737): an address no machine here has, so binding fails before anything listens.
        using var process = Serve(checkpoint, "--host", "192.0.2.1", "--port", "0");
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.AreEqual(1, process.ExitCode);
        string stderr = (await error).TrimEnd();
        StringAssert.StartsWith(stderr, "gpuconvnet: cannot listen on 192.0.2.1:0: ");
        StringAssert.EndsWith(stderr, "; choose another --host: localhost, 0.0.0.0 or an address of this machine");
    }

    private static Process Serve(string checkpoint, params string[] options) =>
        Process.Start(new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "GpuConvNet.Cli.exe" : "GpuConvNet.Cli"),
            ["serve", checkpoint, "--device", "cpu", .. options])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
}
