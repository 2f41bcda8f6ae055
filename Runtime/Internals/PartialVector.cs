using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AeGen.Internals;

/// <summary>
/// The first few elements of a 512-bit vector, read from or written to memory that may end right after them: the
/// packed-row kernels of small models use these for a group of rows that does not fill a whole vector. Neither
/// touches an element past the count.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class PartialVector
{
    /// <summary>A vector whose first <paramref name="count"/> elements come from <paramref name="source"/>; the rest are zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, int count)
    {
        if (Avx512F.IsSupported)
        {
            fixed (float* address = &source)
            {
                return Avx512F.MaskLoad(address, Mask<float>(count), Vector512<float>.Zero);
            }
        }

        return LoadSlowly(ref source, count);
    }

    /// <inheritdoc cref="Load(ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, int count)
    {
        if (Avx512F.IsSupported)
        {
            fixed (double* address = &source)
            {
                return Avx512F.MaskLoad(address, Mask<double>(count), Vector512<double>.Zero);
            }
        }

        return LoadSlowly(ref source, count);
    }

    /// <summary>
    /// Writes the first <paramref name="count"/> elements of <paramref name="value"/>; memory past them is untouched.
    /// Ordinary stores of 8, 4, 2 and 1 elements, not a masked store: on this project's AMD machine a masked store
    /// whose unused part crosses into the next page took 165 ns longer (measured with a 2×2 model's output placed
    /// 0–20 bytes before a page end), where the masked load needs no such care.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, int count)
    {
        if (count == Vector512<float>.Count)
        {
            value.StoreUnsafe(ref destination);
            return;
        }

        Vector256<float> half = value.GetLower();
        if ((count & 8) != 0)
        {
            half.StoreUnsafe(ref destination);
            destination = ref Unsafe.Add(ref destination, 8);
            half = value.GetUpper();
        }

        Vector128<float> quarter = half.GetLower();
        if ((count & 4) != 0)
        {
            quarter.StoreUnsafe(ref destination);
            destination = ref Unsafe.Add(ref destination, 4);
            quarter = half.GetUpper();
        }

        if ((count & 2) != 0)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref destination), quarter.AsDouble().ToScalar());
            destination = ref Unsafe.Add(ref destination, 2);
            quarter = Vector128.Shuffle(quarter, Vector128.Create(2, 3, 2, 3));
        }

        if ((count & 1) != 0)
        {
            destination = quarter.ToScalar();
        }
    }

    /// <inheritdoc cref="Store(Vector512{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, int count)
    {
        if (count == Vector512<double>.Count)
        {
            value.StoreUnsafe(ref destination);
            return;
        }

        Vector256<double> half = value.GetLower();
        if ((count & 4) != 0)
        {
            half.StoreUnsafe(ref destination);
            destination = ref Unsafe.Add(ref destination, 4);
            half = value.GetUpper();
        }

        Vector128<double> quarter = half.GetLower();
        if ((count & 2) != 0)
        {
            quarter.StoreUnsafe(ref destination);
            destination = ref Unsafe.Add(ref destination, 2);
            quarter = half.GetUpper();
        }

        if ((count & 1) != 0)
        {
            destination = quarter.ToScalar();
        }
    }

    /// <summary>All bits set in the first <paramref name="count"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Mask<T>(int count)
        where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            return Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count)).As<long, T>();
        }

        return Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).As<int, T>();
    }

    private static Vector512<T> LoadSlowly<T>(ref T source, int count)
        where T : unmanaged
    {
        CheckCount<T>(count);
        Vector512<T> result = Vector512<T>.Zero;
        for (int i = 0; i < count; i++)
        {
            result = result.WithElement(i, Unsafe.Add(ref source, i));
        }

        return result;
    }

    private static void CheckCount<T>(int count)
    {
        if ((uint)count > (uint)Vector512<T>.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A {typeof(T).Name} vector of 512 bits holds {Vector512<T>.Count} elements.");
        }
    }
}
