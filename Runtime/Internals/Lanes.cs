using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AeGen.Internals;

/// <summary>
/// Helpers for the kernels of small models: for <see cref="LaneKernels{T, TShape}"/>, which hold a row in each SIMD
/// lane, rows gathered into lanes and results scattered back and the lane sums that close each parameter's gradient;
/// for the generated kernels that keep rows as they lie in memory, repeated parameters and column sums. Inlined: a
/// call from a kernel spills every vector live across it, since all are caller-saved.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Lanes
{
    /// <summary>a·b + c, fused where the CPU has FMA (the JIT does not fuse <c>a * b + c</c> itself): the packed kernels' step of every sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.MultiplyAddEstimate(a, b, c);

    /// <summary>a·b + c, as the float overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.MultiplyAddEstimate(a, b, c);

    /// <summary>a·b + c, as the float overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.MultiplyAddEstimate(a, b, c);

    /// <summary>a·b + c, as the float overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Fma(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.MultiplyAddEstimate(a, b, c);

    /// <summary>
    /// Value <paramref name="i"/> of eight rows, a lane per row: the row at <paramref name="first"/> and those
    /// <paramref name="o1"/>…<paramref name="o7"/> values after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gather(ref float first, int i, nint o1, nint o2, nint o3, nint o4, nint o5, nint o6, nint o7) =>
        Vector256.Create(
            Unsafe.Add(ref first, i), Unsafe.Add(ref first, o1 + i), Unsafe.Add(ref first, o2 + i), Unsafe.Add(ref first, o3 + i),
            Unsafe.Add(ref first, o4 + i), Unsafe.Add(ref first, o5 + i), Unsafe.Add(ref first, o6 + i), Unsafe.Add(ref first, o7 + i));

    /// <summary>Value <paramref name="i"/> of four rows, a lane per row, as the eight-row overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Gather(ref double first, int i, nint o1, nint o2, nint o3) =>
        Vector256.Create(Unsafe.Add(ref first, i), Unsafe.Add(ref first, o1 + i), Unsafe.Add(ref first, o2 + i), Unsafe.Add(ref first, o3 + i));

    /// <summary>
    /// The two values at <paramref name="index"/>, repeated across a 512-bit vector: read as one double and broadcast,
    /// for kernels that keep rows of two values as they lie in memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> RepeatPair(ref float p, int index) =>
        Vector512.AsSingle(Vector512.Create(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref p, index)))));

    /// <summary>The two values at <paramref name="index"/>, repeated across a 256-bit vector, as <see cref="RepeatPair"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> RepeatPair256(ref float p, int index) =>
        Vector256.AsSingle(Vector256.Create(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref p, index)))));

    /// <summary>
    /// Adds the lanes of equal column of <paramref name="all"/>, whose lanes hold rows <paramref name="width"/> wide
    /// (1, 2 or 4), and writes the <paramref name="width"/> sums from <paramref name="destination"/> on: the vector
    /// folded in halves down to 128 bits (each fold keeps a lane's column, as the width divides the half), then the
    /// last lanes added or stored as they are. Lanes from <paramref name="used"/> on (past a group's rows, which
    /// hold whatever the kernel computed from the zeros it loaded there) are cleared first. Inlined with constant
    /// arguments, only their case's code remains.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreColumnSums(Vector512<float> all, ref float destination, int width, int used)
    {
        if (used < Vector512<float>.Count)
        {
            all &= Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(used)).AsSingle();
        }

        Vector256<float> half = all.GetLower() + all.GetUpper();
        Vector128<float> quarter = half.GetLower() + half.GetUpper();
        if (width == 1)
        {
            destination = Vector128.Sum(quarter);
        }
        else if (width == 2)
        {
            // Lanes 0 and 2 are column 0, lanes 1 and 3 column 1.
            quarter += Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1));
            destination = quarter.GetElement(0);
            Unsafe.Add(ref destination, 1) = quarter.GetElement(1);
        }
        else
        {
            quarter.StoreUnsafe(ref destination);
        }
    }

    /// <summary>As the float overload, for rows 1 or 2 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreColumnSums(Vector512<double> all, ref double destination, int width, int used)
    {
        if (used < Vector512<double>.Count)
        {
            all &= Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)used)).AsDouble();
        }

        Vector256<double> half = all.GetLower() + all.GetUpper();
        Vector128<double> quarter = half.GetLower() + half.GetUpper();
        if (width == 1)
        {
            destination = Vector128.Sum(quarter);
        }
        else
        {
            quarter.StoreUnsafe(ref destination);
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

    /// <summary>
    /// Writes the lane sum of each of <paramref name="count"/> accumulators to <paramref name="destination"/>: eight at
    /// a time through <see cref="Sums(Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float})"/>,
    /// the rest one by one. A lane kernel's gradient, one accumulator per parameter, ends here.
    /// </summary>
    public static void StoreSums(ref Vector256<float> accumulators, ref float destination, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8)
        {
            ref Vector256<float> a = ref Unsafe.Add(ref accumulators, i);
            Vector256.StoreUnsafe(
                Sums(a, Unsafe.Add(ref a, 1), Unsafe.Add(ref a, 2), Unsafe.Add(ref a, 3), Unsafe.Add(ref a, 4), Unsafe.Add(ref a, 5), Unsafe.Add(ref a, 6), Unsafe.Add(ref a, 7)),
                ref destination,
                (nuint)i);
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = Vector256.Sum(Unsafe.Add(ref accumulators, i));
        }
    }

    /// <inheritdoc cref="StoreSums(ref Vector256{float}, ref float, int)"/>
    public static void StoreSums(ref Vector256<double> accumulators, ref double destination, int count)
    {
        int i = 0;
        for (; i + 4 <= count; i += 4)
        {
            ref Vector256<double> a = ref Unsafe.Add(ref accumulators, i);
            Vector256.StoreUnsafe(Sums(a, Unsafe.Add(ref a, 1), Unsafe.Add(ref a, 2), Unsafe.Add(ref a, 3)), ref destination, (nuint)i);
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = Vector256.Sum(Unsafe.Add(ref accumulators, i));
        }
    }
}
