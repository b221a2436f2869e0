using GpuConvNet.LibTorchBaseline;

// libtorch through TorchSharp beside benchmarks/pytorch: `bench` is bench.py, `speedrun` is speedrun.py, with the
// same options and the same JSON (`speedrun --epochs 1` shortens a smoke test); `check` loads libtorch and runs a tensor
// op and a forward pass of `fast`, so that build.sh reports a library that does not load before any benchmark starts.
//   libtorch=$(bash benchmarks/libtorch/build.sh)
//   $libtorch bench --out libtorch.json
//   $libtorch speedrun --data ../shared/data/mnist --seeds 1 2
const string Usage =
    "usage: GpuConvNet.LibTorchBaseline bench [bench.py's options] | speedrun [speedrun.py's options] | check";
try
{
    switch (args.FirstOrDefault())
    {
        case "bench":
            Bench.Run(new Arguments(args.Skip(1), Bench.Options));
            break;
        case "speedrun":
            Speedrun.Run(new Arguments(args.Skip(1), Speedrun.Options));
            break;
        case "check" when args.Length == 1:
            Console.WriteLine(Check.Run());
            break;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
