using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AeGen.Internals;

/// <summary>
/// Part of a 512- or 256-bit vector read from or written to memory that may end right after it: the packed-row kernels of
/// small models use these for a group of rows that does not fill a whole vector. Neither touches the memory of a lane
/// it leaves out.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class PartialVector
{
    /// <summary>
    /// The lanes of a group of rows that exist, read as the rows lie in memory from <paramref name="source"/>: lane l
    /// holds part of row <paramref name="laneRows"/>[l] of the group and is read when that row is below
    /// <paramref name="rows"/>, the rows left from here on (any count; those past the group are not read). Other lanes
    /// are zero and their memory is not touched; lanes outside the group's layout carry the largest value of their type.
    /// Comparing each lane's row with the rows left, rather than lane indices with min(group, rows left)·width, keeps
    /// the minimum and the multiplication off the path from the argument to the load, which a 2×2 model waits on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, Vector512<int> laneRows, int rows)
    {
        if (Avx512F.IsSupported)
        {
            fixed (float* address = &source)
            {
                // The comparison written inside the call: held in a local, the JIT moved its mask register out to a
                // vector and back (two instructions more on the path to the load).
                return Avx512F.MaskLoad(address, Vector512.LessThan(laneRows, Vector512.Create(rows)).AsSingle(), Vector512<float>.Zero);
            }
        }

        return LoadSlowly(ref source, Vector512.LessThan(laneRows, Vector512.Create(rows)).AsSingle());
    }

    /// <inheritdoc cref="Load(ref float, Vector512{int}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, Vector512<long> laneRows, int rows)
    {
        if (Avx512F.IsSupported)
        {
            fixed (double* address = &source)
            {
                return Avx512F.MaskLoad(address, Vector512.LessThan(laneRows, Vector512.Create((long)rows)).AsDouble(), Vector512<double>.Zero);
            }
        }

        return LoadSlowly(ref source, Vector512.LessThan(laneRows, Vector512.Create((long)rows)).AsDouble());
    }

    /// <summary>
    /// Writes the first <paramref name="count"/> elements of <paramref name="value"/>; memory past them is untouched.
    /// Ordinary stores of 8, 4, 2 and 1 elements, not a masked store: on AMD cores a masked store whose unused part
    /// crosses into the next page is slow (an assist of over a hundred nanoseconds; BENCHMARKS.md), where the masked
    /// load needs no such care.
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

        Store(half, ref destination, count & 7);
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

        Store(half, ref destination, count & 3);
    }

    /// <summary>The lanes of a group of rows that exist, as the 512-bit overload, in 256 bits (AVX's masked load).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, Vector256<int> laneRows, int rows)
    {
        if (Avx.IsSupported)
        {
            fixed (float* address = &source)
            {
                return Avx.MaskLoad(address, Vector256.LessThan(laneRows, Vector256.Create(rows)).AsSingle());
            }
        }

        return LoadSlowly(ref source, Vector256.LessThan(laneRows, Vector256.Create(rows)).AsSingle());
    }

    /// <inheritdoc cref="Load(ref float, Vector256{int}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source, Vector256<long> laneRows, int rows)
    {
        if (Avx.IsSupported)
        {
            fixed (double* address = &source)
            {
                return Avx.MaskLoad(address, Vector256.LessThan(laneRows, Vector256.Create((long)rows)).AsDouble());
            }
        }

        return LoadSlowly(ref source, Vector256.LessThan(laneRows, Vector256.Create((long)rows)).AsDouble());
    }

    /// <summary>Writes the first <paramref name="count"/> elements of <paramref name="value"/>, as the 512-bit overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, int count)
    {
        if (count == Vector256<float>.Count)
        {
            value.StoreUnsafe(ref destination);
            return;
        }

        Vector128<float> quarter = value.GetLower();
        if ((count & 4) != 0)
        {
            quarter.StoreUnsafe(ref destination);
            destination = ref Unsafe.Add(ref destination, 4);
            quarter = value.GetUpper();
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

    /// <inheritdoc cref="Store(Vector256{float}, ref float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, int count)
    {
        if (count == Vector256<double>.Count)
        {
            value.StoreUnsafe(ref destination);
            return;
        }

        Vector128<double> quarter = value.GetLower();
        if ((count & 2) != 0)
        {
            quarter.StoreUnsafe(ref destination);
            destination = ref Unsafe.Add(ref destination, 2);
            quarter = value.GetUpper();
        }

        if ((count & 1) != 0)
        {
            destination = quarter.ToScalar();
        }
    }

    /// <summary>The lanes selected by <paramref name="mask"/>, one element at a time, for machines without AVX.</summary>
    private static Vector256<T> LoadSlowly<T>(ref T source, Vector256<T> mask)
        where T : unmanaged
    {
        uint selected = mask.ExtractMostSignificantBits();
        Vector256<T> result = Vector256<T>.Zero;
        for (int i = 0; i < Vector256<T>.Count; i++)
        {
            if (((selected >> i) & 1) != 0)
            {
                result = result.WithElement(i, Unsafe.Add(ref source, i));
            }
        }

        return result;
    }

    /// <summary>The lanes selected by <paramref name="mask"/>, one element at a time, for machines without AVX-512.</summary>
    private static Vector512<T> LoadSlowly<T>(ref T source, Vector512<T> mask)
        where T : unmanaged =>
        Vector512.Create(LoadSlowly(ref source, mask.GetLower()), LoadSlowly(ref Unsafe.Add(ref source, Vector256<T>.Count), mask.GetUpper()));
}
