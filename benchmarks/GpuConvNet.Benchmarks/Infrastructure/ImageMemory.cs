using System.Diagnostics;
using System.Globalization;
using GpuConvNet.Imaging;

namespace GpuConvNet.Benchmarks.Infrastructure;

/// <summary>
/// <c>--image-memory</c>: the peak memory (resident set, Linux's VmHWM) of a process that reads one picture the way
/// <c>predict</c> does, for a 12-megapixel JPEG and for the largest PNG the limits accept (64 megapixels decoded),
/// each in a fresh process beside one that reads nothing. Memory is not timed, so this is not a BenchmarkDotNet suite.
/// </summary>
public static class ImageMemory
{
    /// <summary>Runs the measurement and prints a table; returns the exit code.</summary>
    public static int Run()
    {
        string directory = Directory.CreateTempSubdirectory("gpuconvnet-image-memory-").FullName;
        try
        {
            var files = new (string Name, string Path)[]
            {
                ("nothing read (the process alone)", "none"),
                ("12 MP JPEG (4000×3000)", Write(directory, "photo.jpg", SyntheticPhoto.Jpeg(4000, 3000))),
                ("64 MP PNG (8000×8000, the largest accepted)", Write(directory, "scan.png", SyntheticPhoto.Png(8000, 8000))),
            };
            Console.WriteLine("| image | file | peak resident memory | read + prepare |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var (name, path) in files)
            {
                var start = new ProcessStartInfo(Environment.ProcessPath!, ["--peak-memory", path]) { RedirectStandardOutput = true };
                using var process = Process.Start(start)!;
                string[] result = process.StandardOutput.ReadToEnd().Trim().Split(' ');
                process.WaitForExit();
                string size = path == "none" ? "-" : $"{new FileInfo(path).Length / 1e6:F1} MB";
                Console.WriteLine($"| {name} | {size} | {long.Parse(result[0], CultureInfo.InvariantCulture) / 1024.0:F0} MiB | {result[1]} ms |");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary><c>--peak-memory PATH</c>: reads PATH as <c>predict</c> does and prints "VmHWM-in-KiB milliseconds".</summary>
    public static int Peak(string path)
    {
        var watch = Stopwatch.StartNew();
        if (path != "none")
        {
            _ = InputImage.Read(path, Preprocessing.Digit);
        }
        watch.Stop();
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        long kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kib} {watch.Elapsed.TotalMilliseconds:F0}"));
        return 0;
    }

    private static string Write(string directory, string name, byte[] bytes)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
