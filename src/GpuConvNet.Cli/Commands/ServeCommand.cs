using System.CommandLine;
using System.Net.Sockets;
using GpuConvNet.Web;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace GpuConvNet.Cli.Commands;

/// <summary><c>gpuconvnet serve</c>: the drawing page and the JSON API, with the model loaded once on an accelerator.</summary>
public static class ServeCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = new Argument<string?>("checkpoint")
        {
            Description = "A .safetensors checkpoint written by 'gpuconvnet train', or an .onnx model [default: the newest checkpoint under ./runs]",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var members = new Option<string[]>("--model")
        {
            Description = "A model file to serve (repeat it for an ensemble: every model answers each picture and their probabilities are averaged); with a checkpoint argument, it joins it",
            Arity = ArgumentArity.OneOrMore,
        };
        var device = SharedOptions.Device();
        var port = new Option<int>("--port", "-p") { Description = "TCP port; 0 picks a free one", DefaultValueFactory = _ => 5000 };
        var host = new Option<string>("--host")
        {
            Description = "Address to listen on: localhost (this machine only), 0.0.0.0 (every interface: other machines too) or one of this machine's IP addresses",
            DefaultValueFactory = _ => ListenAddresses.Localhost,
        };
        var allowedHosts = new Option<string[]>("--allowed-hosts")
        {
            Description = "Host names the server answers besides those it listens on (e.g. a DNS name of this machine), comma-separated; * answers any",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };
        var command = new Command("serve",
            "Serve a web page to draw a digit (or whatever the model was trained on: shapes…) and see what the model thinks, and a JSON API (POST /api/predict, GET /api/model, GET /healthz); Ctrl+C stops")
        {
            checkpoint, members, device, port, host, allowedHosts,
        };
        command.Validators.Add(result =>
        {
            if (SharedOptions.TryGetValue(result, port, out int p) && p is < 0 or > 65535)
            {
                result.AddError($"--port must be from 0 to 65535, not {p}");
            }
            if (SharedOptions.TryGetValue(result, host, out string? h) && h is not null)
            {
                try
                {
                    _ = ListenAddresses.Parse(h);
                }
                catch (UserInputException e)
                {
                    result.AddError(e.Message);
                }
            }
        });
        command.SetAction(parsed =>
        {
            string[] more = parsed.GetValue(members) ?? [];
            string[] paths = parsed.GetValue(checkpoint) is { } path ? [path, .. more]
                : more.Length > 0 ? more : [NewestCheckpoint(Path.Combine(Environment.CurrentDirectory, "runs"))];
            var accelerator = CommandLine.OpenDevice(parsed.GetValue(device)!);
            DigitService service;
            try
            {
                service = DigitService.Open(paths, accelerator);
            }
            catch
            {
                accelerator.Dispose();
                throw;
            }
            using (service)
            {
                var options = new ServerOptions { Host = parsed.GetValue(host)!, Port = parsed.GetValue(port), AllowedHosts = parsed.GetValue(allowedHosts) ?? [] };
                var app = DigitServer.Build(service, options);
                try
                {
                    app.StartAsync().GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is IOException or SocketException)
                {
                    // An address of another machine cannot be bound (Kestrel throws the socket's own error for it); a
                    // port in use can be changed.
                    string remedy = (e as SocketException ?? e.InnerException as SocketException) is { SocketErrorCode: SocketError.AddressNotAvailable }
                        ? "choose another --host: localhost, 0.0.0.0 or an address of this machine"
                        : "choose another --port";
                    throw new UserInputException($"cannot listen on {options.Host}:{options.Port}: {e.Message.TrimEnd('.')}; {remedy}", e);
                }
                var model = service.Description;
                string accuracy = model.ValidationAccuracy is { } a ? $", validation accuracy {a:P2}" : "";
                foreach (var address in DigitServer.Addresses(app))
                {
                    AnsiConsole.MarkupLineInterpolated($"serving [bold]{model.Name}[/] ({model.Checkpoint}{accuracy}) on {model.Device} at [bold]{address}[/]");
                }
                AnsiConsole.MarkupLine("[grey]Ctrl+C stops[/]");
                app.WaitForShutdownAsync().GetAwaiter().GetResult();
                app.DisposeAsync().AsTask().GetAwaiter().GetResult();
                var (images, batches) = service.Served;
                AnsiConsole.MarkupLineInterpolated($"[grey]stopped after {Words.Count(images, "prediction")} in {Words.Count(batches, "batch", "batches")}[/]");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The most recently written checkpoint under <paramref name="runs"/> (its subfolders included), or a clear error.</summary>
    public static string NewestCheckpoint(string runs)
    {
        var newest = Directory.Exists(runs)
            ? new DirectoryInfo(runs).EnumerateFiles("*.safetensors", SearchOption.AllDirectories).MaxBy(f => f.LastWriteTimeUtc)
            : null;
        return newest?.FullName ?? throw new UserInputException(
            $"no checkpoint given, and none under {runs}; train one first ('gpuconvnet train --model cnn') or name a .safetensors file");
    }
}
