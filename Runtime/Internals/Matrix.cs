using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AeGen.Internals;

/// <summary>
/// Transposes for the dense kernels of larger models: the error flows back through W3 and W2 read transposed, each
/// panel of them transposed as it is packed. A scalar loop is bound by instructions rather than memory, so the blocks
/// here are transposed in registers: 8 × 8 floats or 4 × 4 doubles, eight or four loads and stores and a few shuffles.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Matrix
{
    /// <summary>Writes the transpose of the row-major <paramref name="rows"/> × <paramref name="columns"/> matrix <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void Transpose(ref float from, ref float to, int rows, int columns) => Transpose<float>(ref from, ref to, rows, columns);

    /// <inheritdoc cref="Transpose(ref float, ref float, int, int)"/>
    public static void Transpose(ref double from, ref double to, int rows, int columns) => Transpose<double>(ref from, ref to, rows, columns);

    /// <summary>Whole blocks of one <c>Vector256</c>'s width in each direction where AVX is there, then the edges.</summary>
    internal static void Transpose<T>(ref T from, ref T to, int rows, int columns) => Transpose(ref from, columns, ref to, rows, rows, columns);

    /// <summary>
    /// Writes the transpose of the <paramref name="rows"/> × <paramref name="columns"/> matrix at <paramref name="from"/>,
    /// whose rows are <paramref name="fromStride"/> apart, to <paramref name="to"/>, whose rows (the columns of
    /// <paramref name="from"/>) are <paramref name="toStride"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose<T>(ref T from, int fromStride, ref T to, int toStride, int rows, int columns)
    {
        int blockRows = 0, blockColumns = 0;
        if (Avx.IsSupported)
        {
            int size = Vector256<byte>.Count / Unsafe.SizeOf<T>();
            blockRows = rows / size * size;
            blockColumns = columns / size * size;
            for (int i = 0; i < blockRows; i += size)
            {
                for (int j = 0; j < blockColumns; j += size)
                {
                    ref T source = ref Unsafe.Add(ref from, ((nint)i * fromStride) + j);
                    ref T target = ref Unsafe.Add(ref to, ((nint)j * toStride) + i);
                    if (typeof(T) == typeof(float))
                    {
                        Block(ref Unsafe.As<T, float>(ref source), fromStride, ref Unsafe.As<T, float>(ref target), toStride);
                    }
                    else
                    {
                        Block(ref Unsafe.As<T, double>(ref source), fromStride, ref Unsafe.As<T, double>(ref target), toStride);
                    }
                }
            }
        }

        TransposeEdges(ref from, fromStride, ref to, toStride, rows, columns, blockRows, blockColumns);
    }

    /// <summary>The elements outside the blocks: columns past the last whole block in every row, then the rows past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeEdges<T>(ref T from, int fromStride, ref T to, int toStride, int rows, int columns, int blockRows, int blockColumns)
    {
        for (int i = 0; i < blockRows; i++)
        {
            for (int j = blockColumns; j < columns; j++)
            {
                Unsafe.Add(ref to, ((nint)j * toStride) + i) = Unsafe.Add(ref from, ((nint)i * fromStride) + j);
            }
        }

        for (int i = blockRows; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                Unsafe.Add(ref to, ((nint)j * toStride) + i) = Unsafe.Add(ref from, ((nint)i * fromStride) + j);
            }
        }
    }

    /// <summary>One 8 × 8 block: pairs of rows interleaved, then pairs of pairs, then the 128-bit halves exchanged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block(ref float from, int fromStride, ref float to, int toStride)
    {
        nuint s = (nuint)fromStride;
        Vector256<float> r0 = Vector256.LoadUnsafe(ref from), r1 = Vector256.LoadUnsafe(ref from, s);
        Vector256<float> r2 = Vector256.LoadUnsafe(ref from, 2 * s), r3 = Vector256.LoadUnsafe(ref from, 3 * s);
        Vector256<float> r4 = Vector256.LoadUnsafe(ref from, 4 * s), r5 = Vector256.LoadUnsafe(ref from, 5 * s);
        Vector256<float> r6 = Vector256.LoadUnsafe(ref from, 6 * s), r7 = Vector256.LoadUnsafe(ref from, 7 * s);

        // t0 = (a0 b0 a1 b1 | a4 b4 a5 b5) for rows a = r0, b = r1, and so on.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        // u0 = column 0 of rows 0–3 in its low half and column 4 in its high half, and so on.
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        nuint d = (nuint)toStride;
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref to);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref to, d);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref to, 2 * d);
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref to, 3 * d);
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref to, 4 * d);
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref to, 5 * d);
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref to, 6 * d);
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref to, 7 * d);
    }

    /// <summary>One 4 × 4 block: pairs of rows interleaved, then the 128-bit halves exchanged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block(ref double from, int fromStride, ref double to, int toStride)
    {
        nuint s = (nuint)fromStride;
        Vector256<double> r0 = Vector256.LoadUnsafe(ref from), r1 = Vector256.LoadUnsafe(ref from, s);
        Vector256<double> r2 = Vector256.LoadUnsafe(ref from, 2 * s), r3 = Vector256.LoadUnsafe(ref from, 3 * s);
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        nuint d = (nuint)toStride;
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref to);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref to, d);
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref to, 2 * d);
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref to, 3 * d);
    }
}
