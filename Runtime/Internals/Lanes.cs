using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AeGen.Internals;

/// <summary>
/// Helpers for the generated kernels of small models, which compute several rows at once with each SIMD lane holding
/// one row: results back from lanes to rows, and the lane sums that close each parameter's gradient. Inlined: a call
/// from a kernel spills every vector live across it, since all are caller-saved.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Lanes
{
    /// <summary>rows[l·width + i] = lanes[i·G + l] for the first <paramref name="count"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scatter<T>(ref T lanes, ref T rows, int count, int width)
        where T : unmanaged
    {
        int group = Vector256<T>.Count;
        for (int l = 0; l < count; l++)
        {
            ref T row = ref Unsafe.Add(ref rows, l * width);
            for (int i = 0; i < width; i++)
            {
                Unsafe.Add(ref row, i) = Unsafe.Add(ref lanes, (i * group) + l);
            }
        }
    }

    /// <summary>
    /// The lane sums of eight vectors, as one vector: element j is the sum of <paramref name="a0"/>…<paramref name="a7"/>'s
    /// vector j. With AVX six horizontal adds, two swaps of halves and an add do it in nine instructions, against
    /// six for each of eight separate sums in the JIT's code (extract, add, permute, add, permute, add).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sums(
        Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7)
    {
        if (Avx.IsSupported)
        {
            // Each 128-bit half of s0123 holds partial sums of a0…a3 over that half's lanes; likewise s4567.
            Vector256<float> s0123 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            Vector256<float> s4567 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
            return Avx.Permute2x128(s0123, s4567, 0x20) + Avx.Permute2x128(s0123, s4567, 0x31);
        }

        return Vector256.Create(
            Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3),
            Vector256.Sum(a4), Vector256.Sum(a5), Vector256.Sum(a6), Vector256.Sum(a7));
    }

    /// <summary>The lane sums of four vectors, as one vector: element j is the sum of vector j's lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sums(Vector256<double> a0, Vector256<double> a1, Vector256<double> a2, Vector256<double> a3)
    {
        if (Avx.IsSupported)
        {
            Vector256<double> s01 = Avx.HorizontalAdd(a0, a1);
            Vector256<double> s23 = Avx.HorizontalAdd(a2, a3);
            return Avx.Permute2x128(s01, s23, 0x20) + Avx.Permute2x128(s01, s23, 0x31);
        }

        return Vector256.Create(Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
    }
}
