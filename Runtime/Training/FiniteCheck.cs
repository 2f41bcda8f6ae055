using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace AeGen;

/// <summary>Finds NaN and infinities fast: x − x is 0 for every finite x and NaN otherwise.</summary>
internal static class FiniteCheck
{
    /// <summary>The index of the first value that is NaN or infinite, or −1.</summary>
    public static int FirstNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ReadOnlySpan<Vector<T>> vectors = MemoryMarshal.Cast<T, Vector<T>>(values);
            for (int j = 0; j < vectors.Length; j++)
            {
                Vector<T> v = vectors[j];
                if (!Vector.EqualsAll(v - v, Vector<T>.Zero))
                {
                    i = j * Vector<T>.Count;
                    break;
                }

                i = (j + 1) * Vector<T>.Count;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
