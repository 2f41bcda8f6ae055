using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace AeGen.Benchmarks;

/// <summary>
/// This core's peak rate of single-precision fused multiply-adds: ten independent Vector256 accumulator chains,
/// enough to cover the FMA latency on two FMA ports. GFLOP/s = Iterations · 10 · 8 lanes · 2 / time.
/// </summary>
public class FmaPeakBenchmark
{
    /// <summary>FMA instructions per accumulator per call.</summary>
    public const int Iterations = 100_000;

    /// <summary>Floating-point operations per call: each FMA is 8 multiplies and 8 adds.</summary>
    public const double Flops = Iterations * 10.0 * 16;

    private Vector256<float> _a = Vector256.Create(0.999f), _b = Vector256.Create(0.001f);

    [Benchmark]
    public float TenChainsOfFma()
    {
        Vector256<float> a = _a, b = _b;
        Vector256<float> c0 = a, c1 = b, c2 = a, c3 = b, c4 = a, c5 = b, c6 = a, c7 = b, c8 = a, c9 = b;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b);
            c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b);
            c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b);
            c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b);
            c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b);
            c9 = Vector256.FusedMultiplyAdd(c9, a, b);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9);
    }
}
