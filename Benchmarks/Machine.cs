using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.Intrinsics;

namespace AeGen.Benchmarks;

/// <summary>
/// What every run prints first: the processor, the widest vector in use, a quick FMA peak, and the kernel plan of each
/// dense workload. The plans are saved as wisdom that the benchmark processes read (AEGEN_WISDOM), so that all of them
/// run the plan printed here rather than each measuring its own.
/// </summary>
internal static class Machine
{
    public static void Describe()
    {
        string bits = Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector128";
        Console.WriteLine($"machine: {KernelPlans.Machine} | {bits} | FMA peak {QuickPeak():F1} GFLOP/s on one thread (best of 20 short runs; FmaPeakBenchmark measures it properly) | {Environment.ProcessorCount} cores | .NET {Environment.Version}");
        foreach (Workload workload in Workload.All)
        {
            IAutoencoder<float> model = workload.CreateModel();
            if (model.ParameterCount >= KernelPlans.DenseModelMinimumParameters)
            {
                Console.WriteLine($"plan: {KernelPlans.Plan(model)}");
            }
        }

        string wisdom = Path.Combine(Path.GetTempPath(), $"aegen-benchmark-wisdom-{Environment.ProcessId}.txt");
        File.WriteAllText(wisdom, KernelPlans.ExportWisdom());
        Environment.SetEnvironmentVariable(KernelPlans.WisdomVariable, wisdom);
    }

    private static double QuickPeak()
    {
        var chains = new FmaPeakBenchmark { Threads = 1 };
        double best = double.MaxValue;
        for (int run = 0; run < 20; run++)
        {
            long start = Stopwatch.GetTimestamp();
            chains.TenChainsOfFma();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return FmaPeakBenchmark.Flops(1) / best / 1e9;
    }
}
