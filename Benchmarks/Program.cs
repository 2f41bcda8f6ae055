using System;
using System.Linq;
using AeGen.Benchmarks.Engines;
using BenchmarkDotNet.Running;

namespace AeGen.Benchmarks;

/// <summary>
/// <c>verify</c> checks that all engines agree with AeGen; anything else goes to BenchmarkDotNet
/// (e.g. <c>--filter '*' --job dry</c> for a smoke run, or no job for a full measurement).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        string? torch = NativeTorch.Prepare();
        if (torch is not null)
        {
            Console.WriteLine($"TorchSharp cannot load here and is skipped: {torch}");
        }

        if (args.FirstOrDefault() == "verify")
        {
            (int passed, int failed) = Agreement.Verify(includeTorch: torch is null);
            Console.WriteLine($"verify: {passed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        }

        if (torch is not null)
        {
            args = [.. args, "--anyCategories", "Forward", "TrainStep", "--filter", "*", "--exclusion", "*TorchSharp*"];
        }

        Machine.Describe();

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, FlopsConfig.Create());
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
