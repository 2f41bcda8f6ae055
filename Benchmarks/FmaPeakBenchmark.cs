using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace AeGen.Benchmarks;

/// <summary>
/// This machine's peak rate of single-precision fused multiply-adds: ten independent accumulator chains of the widest
/// vector the JIT accelerates (Vector512 where AVX-512 is there, else Vector256), enough to cover the FMA latency on
/// two FMA pipes. On one thread it is the peak the kernels are measured against; on two it shows how much a second
/// core adds when nothing but FMAs compete (a second vCPU that shares a physical core adds almost nothing).
/// </summary>
public class FmaPeakBenchmark
{
    /// <summary>FMA instructions per accumulator per thread and call.</summary>
    public const int Iterations = 1_000_000;

    private Vector512<float> _a = Vector512.Create(0.999f), _b = Vector512.Create(0.001f);

    /// <summary>Threads running the chains at once.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Lanes of the vector the chains use on this machine.</summary>
    public static int Lanes => Vector512.IsHardwareAccelerated ? 16 : 8;

    /// <summary>Floating-point operations per call: each FMA is a multiply and an add per lane.</summary>
    public static double Flops(int threads) => threads * Iterations * 10.0 * 2 * Lanes;

    [Benchmark]
    public float TenChainsOfFma()
    {
        if (Threads == 1)
        {
            return Chains();
        }

        Task<float> other = Task.Run(Chains);
        return Chains() + other.Result;
    }

    private float Chains() => Vector512.IsHardwareAccelerated ? Chains512(_a, _b) : Chains256(_a.GetLower(), _b.GetLower());

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains512(Vector512<float> a, Vector512<float> b)
    {
        Vector512<float> c0 = a, c1 = b, c2 = a, c3 = b, c4 = a, c5 = b, c6 = a, c7 = b, c8 = a, c9 = b;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b);
            c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b);
            c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b);
            c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b);
            c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b);
            c9 = Vector512.FusedMultiplyAdd(c9, a, b);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains256(Vector256<float> a, Vector256<float> b)
    {
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
