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

    /// <summary>Throws, naming the first value that is not finite by row and column (both counting from 1), unless every one of the rows of <paramref name="n"/> values is.</summary>
    public static void RequireRows<T>(ReadOnlySpan<T> rows, int n, string argument)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int bad = FirstNonFinite(rows);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"{argument} must hold finite values, but row {(bad / n) + 1}, column {(bad % n) + 1} (both counting from 1) is {rows[bad]}.", argument);
        }
    }
}
