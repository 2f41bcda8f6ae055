using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AeGen.Internals;

/// <summary>
/// Transposes a group of rows to and from "one vector lane per row" order, for generated kernels of small models
/// that compute several rows at once with each SIMD lane holding one row.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Lanes
{
    /// <summary>lanes[i·G + l] = rows[l·width + i] for l &lt; count, and 0 for the lanes past <paramref name="count"/>.</summary>
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
