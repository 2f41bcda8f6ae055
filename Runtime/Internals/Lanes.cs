using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AeGen.Internals;

/// <summary>
/// Transposes a group of rows to and from "one vector lane per row" order, for generated kernels of small models
/// that compute several rows at once with each SIMD lane holding one row. Both are inlined: a call from a kernel
/// spills every vector live across it (all are caller-saved), and inlining took a 2×2 Forward from 58 to 53 ns and a
/// Backward from 81 to 77 ns (Stopwatch loops of 10⁷ calls).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Lanes
{
    /// <summary>lanes[i·G + l] = rows[l·width + i] for l &lt; count, and 0 for the lanes past <paramref name="count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather<T>(ref T rows, ref T lanes, int count, int width)
        where T : unmanaged, INumberBase<T>
    {
        int group = Vector256<T>.Count;
        for (int l = 0; l < count; l++)
        {
            ref T row = ref Unsafe.Add(ref rows, l * width);
            for (int i = 0; i < width; i++)
            {
                Unsafe.Add(ref lanes, (i * group) + l) = Unsafe.Add(ref row, i);
            }
        }

        for (int l = count; l < group; l++)
        {
            for (int i = 0; i < width; i++)
            {
                Unsafe.Add(ref lanes, (i * group) + l) = T.Zero;
            }
        }
    }

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
}
