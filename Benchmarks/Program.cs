using BenchmarkDotNet.Running;

namespace AeGen.Benchmarks;

/// <summary>Runs the suites chosen on the command line, e.g. <c>--filter * --job dry</c>.</summary>
internal static class Program
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
