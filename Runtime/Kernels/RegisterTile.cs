using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AeGen.Kernels;

/// <summary>How a product's sums begin.</summary>
internal enum Start : byte
{
    /// <summary>From zero.</summary>
    Zero,

    /// <summary>From the bias vector: every row of the tile starts from bias[j].</summary>
    Bias,

    /// <summary>From what C already holds: a gradient being added to, or the partial sums of an earlier depth block.</summary>
    Accumulate,
}

/// <summary>What is stored for each sum.</summary>
internal enum Finish : byte
{
    /// <summary>The sum itself.</summary>
    Store,

    /// <summary>σ(sum): a layer's activations.</summary>
    Sigmoid,

    /// <summary>h(1 − h)·sum with h read from the gate matrix: an error sent back through a sigmoid layer.</summary>
    SigmoidGradient,
}

/// <summary>A count known when the JIT compiles a method for it, so that tests on it fold away.</summary>
internal interface ICount
{
    static abstract int Value { get; }
}

/// <summary>
/// How a product reads its left factor A (the one broadcast lane by lane). Either way one step of the depth index p
/// moves by a constant: along a row of A, or to the next row of the matrix A is the transpose of.
/// </summary>
internal interface IAccess
{
    /// <summary>
    /// True: A(i, p) = a[i·stride + p], each row of A contiguous (activations times weights). False: A(i, p) =
    /// a[p·stride + i], the rows of a tile side by side (the transposed activations of a weight gradient).
    /// </summary>
    static abstract bool RowsApart { get; }
}

/// <summary>A is stored by rows.</summary>
internal readonly struct ByRows : IAccess
{
    public static bool RowsApart => true;
}

/// <summary>A is stored by columns, that is, it is the transpose of a row-major matrix.</summary>
/// <remarks>Two bytes, where <see cref="ByRows"/> has one: the tile tells them apart by size (see Counts.cs).</remarks>
[StructLayout(LayoutKind.Sequential, Size = 2)]
internal readonly struct ByColumns : IAccess
{
    public static bool RowsApart => false;
}

/// <summary>
/// A copied tile by tile (<see cref="BlockedProduct"/>, <see cref="Blocking.PackA"/>): each tile's rows side by side,
/// one step of p after another, and the tiles one after another. The stride is the tile's height, so one tile reads
/// one contiguous stream, and the next tile starts <c>height × depth</c> further on.
/// </summary>
/// <remarks>Three bytes: read like <see cref="ByColumns"/> inside a tile, told apart by size where tiles follow each other.</remarks>
[StructLayout(LayoutKind.Sequential, Size = 3)]
internal readonly struct Packed : IAccess
{
    public static bool RowsApart => false;
}

/// <summary>
/// The one piece of the dense kernels that decides their speed: C(i, j) = finish(start + Σ_p A(i, p)·B(p, j)) for a tile
/// of up to twelve rows by one or two vectors of columns, whose sums stay in registers while one pass
/// over the depth reads each vector of B once for all the tile's rows. Every sum is a chain of fused multiply-adds in
/// the order of p, whatever the tile's shape, so every tile shape and depth blocking gives the same bits.
/// </summary>
/// <remarks>
/// Written once for up to twelve rows and two vectors: the JIT compiles it for one count of each, and every test on
/// the counts is on <c>Unsafe.SizeOf</c>, which the JIT knows while importing, so the rows a count excludes are never
/// compiled. Each scalar of A is broadcast inside the multiply-add where only one vector uses it (an embedded
/// broadcast): a separate broadcast instruction takes a vector pipe on some cores (AMD Zen 4).
/// </remarks>
internal static class RegisterTile
{
    /// <summary>The most rows a tile has: 24 accumulators, two vectors of B and a broadcast in 32 vector registers.</summary>
    public const int MaxRows = 12;

    /// <param name="a">A(0, 0) of the tile.</param>
    /// <param name="aStride">Elements between rows of A (<see cref="ByRows"/>) or between steps of p (<see cref="ByColumns"/>).</param>
    /// <param name="b">B(0, 0) of the tile's columns; each row of B holds one or two whole vectors from there.</param>
    /// <param name="bStride">Elements between rows of B.</param>
    /// <param name="depth">How many p.</param>
    /// <param name="c">C(0, 0) of the tile.</param>
    /// <param name="cStride">Elements between rows of C (and of the gate).</param>
    /// <param name="bias">bias[0] of the tile's columns, read for <see cref="Start.Bias"/>.</param>
    /// <param name="gate">gate(0, 0) of the tile, read for <see cref="Finish.SigmoidGradient"/>.</param>
    /// <param name="start">How the sums begin.</param>
    /// <param name="finish">What is stored for them.</param>
    /// <param name="tiles">How many tiles, one below the other: one call does a whole column of tiles.</param>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Multiply<S, T, V, TRows, TVectors, TAccess>(
        ref T a, nuint aStride, ref T b, nuint bStride, nuint depth, ref T c, nuint cStride, ref T bias, ref T gate, Start start, Finish finish, int tiles)
        where S : ISimd<T, V>
        where T : unmanaged
        where V : struct
        where TRows : ICount
        where TVectors : ICount
        where TAccess : IAccess
    {
        int rows = TRows.Value;
        bool two = TVectors.Value == 2;
        nuint L = (nuint)S.Lanes;
        nuint aTileStep = TAccess.RowsApart ? (nuint)rows * aStride : Unsafe.SizeOf<TAccess>() == 3 ? (nuint)rows * depth : (nuint)rows;
        ref T firstC = ref c;
        for (int tile = 0; tile < tiles; tile++)
        {
            ref T at = ref a;
            ref T bt = ref b;
            ref T tileC = ref c;
            V c00 = S.Zero, c01 = S.Zero, c10 = S.Zero, c11 = S.Zero, c20 = S.Zero, c21 = S.Zero, c30 = S.Zero, c31 = S.Zero;
            V c40 = S.Zero, c41 = S.Zero, c50 = S.Zero, c51 = S.Zero, c60 = S.Zero, c61 = S.Zero, c70 = S.Zero, c71 = S.Zero;
            V c80 = S.Zero, c81 = S.Zero, c90 = S.Zero, c91 = S.Zero, cA0 = S.Zero, cA1 = S.Zero, cB0 = S.Zero, cB1 = S.Zero;
            switch (start)
            {
                case Start.Bias:
                {
                    V b0 = S.Load(ref bias, 0), b1 = two ? S.Load(ref bias, L) : S.Zero;
                    c00 = b0; c01 = b1;
                    if (Unsafe.SizeOf<TRows>() > 1) { c10 = b0; c11 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 2) { c20 = b0; c21 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 3) { c30 = b0; c31 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 4) { c40 = b0; c41 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 5) { c50 = b0; c51 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 6) { c60 = b0; c61 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 7) { c70 = b0; c71 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 8) { c80 = b0; c81 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 9) { c90 = b0; c91 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 10) { cA0 = b0; cA1 = b1; }
                    if (Unsafe.SizeOf<TRows>() > 11) { cB0 = b0; cB1 = b1; }
                    break;
                }

                case Start.Accumulate:
                {
                    c00 = S.Load(ref c, 0 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c01 = S.Load(ref c, (0 * cStride) + L); }
                    if (Unsafe.SizeOf<TRows>() > 1) { c10 = S.Load(ref c, 1 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c11 = S.Load(ref c, (1 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 2) { c20 = S.Load(ref c, 2 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c21 = S.Load(ref c, (2 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 3) { c30 = S.Load(ref c, 3 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c31 = S.Load(ref c, (3 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 4) { c40 = S.Load(ref c, 4 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c41 = S.Load(ref c, (4 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 5) { c50 = S.Load(ref c, 5 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c51 = S.Load(ref c, (5 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 6) { c60 = S.Load(ref c, 6 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c61 = S.Load(ref c, (6 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 7) { c70 = S.Load(ref c, 7 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c71 = S.Load(ref c, (7 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 8) { c80 = S.Load(ref c, 8 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c81 = S.Load(ref c, (8 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 9) { c90 = S.Load(ref c, 9 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { c91 = S.Load(ref c, (9 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 10) { cA0 = S.Load(ref c, 10 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { cA1 = S.Load(ref c, (10 * cStride) + L); } }
                    if (Unsafe.SizeOf<TRows>() > 11) { cB0 = S.Load(ref c, 11 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { cB1 = S.Load(ref c, (11 * cStride) + L); } }
                    break;
                }
            }

            // The next tile's rows of C are fetched while this one computes. A weight gradient of n × n is megabytes, read
            // and written back a tile at a time: without this, a tile that adds to C began by waiting on its rows (on the
            // Zen 3, 784×64's dW3 ran a quarter slower; BENCHMARKS.md). Both ends of each row's part are fetched: at 256
            // bits it is 64 bytes, at most two cache lines; at 512 bits, 128 bytes, and the middle of three lines is left
            // to the hardware (measured on the AVX2 core only).
            if (Sse.IsSupported && tile + 1 < tiles)
            {
                ref T next = ref Unsafe.Add(ref c, (nuint)rows * cStride);
                for (int r = 0; r < rows; r++)
                {
                    ref T row = ref Unsafe.Add(ref next, (nuint)r * cStride);
                    Sse.Prefetch0(Unsafe.AsPointer(ref row));
                    Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref row, (two ? 2 * L : L) - 1)));
                }
            }

            if (Unsafe.SizeOf<TAccess>() == 1)
            {
                ref T a0 = ref Unsafe.Add(ref at, 0 * aStride);
                ref T a1 = ref Unsafe.Add(ref at, 1 * aStride);
                ref T a2 = ref Unsafe.Add(ref at, 2 * aStride);
                ref T a3 = ref Unsafe.Add(ref at, 3 * aStride);
                ref T a4 = ref Unsafe.Add(ref at, 4 * aStride);
                ref T a5 = ref Unsafe.Add(ref at, 5 * aStride);
                ref T a6 = ref Unsafe.Add(ref at, 6 * aStride);
                ref T a7 = ref Unsafe.Add(ref at, 7 * aStride);
                ref T a8 = ref Unsafe.Add(ref at, 8 * aStride);
                ref T a9 = ref Unsafe.Add(ref at, 9 * aStride);
                ref T aA = ref Unsafe.Add(ref at, 10 * aStride);
                ref T aB = ref Unsafe.Add(ref at, 11 * aStride);
                for (nuint p = 0; p < depth; p++)
                {
                    V b0 = S.Load(ref bt, 0), b1 = two ? S.Load(ref bt, L) : S.Zero;
                    c00 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a0, p)), b0, c00); if (Unsafe.SizeOf<TVectors>() == 2) { c01 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a0, p)), b1, c01); }
                    if (Unsafe.SizeOf<TRows>() > 1) { c10 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a1, p)), b0, c10); if (Unsafe.SizeOf<TVectors>() == 2) { c11 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a1, p)), b1, c11); } }
                    if (Unsafe.SizeOf<TRows>() > 2) { c20 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a2, p)), b0, c20); if (Unsafe.SizeOf<TVectors>() == 2) { c21 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a2, p)), b1, c21); } }
                    if (Unsafe.SizeOf<TRows>() > 3) { c30 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a3, p)), b0, c30); if (Unsafe.SizeOf<TVectors>() == 2) { c31 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a3, p)), b1, c31); } }
                    if (Unsafe.SizeOf<TRows>() > 4) { c40 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a4, p)), b0, c40); if (Unsafe.SizeOf<TVectors>() == 2) { c41 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a4, p)), b1, c41); } }
                    if (Unsafe.SizeOf<TRows>() > 5) { c50 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a5, p)), b0, c50); if (Unsafe.SizeOf<TVectors>() == 2) { c51 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a5, p)), b1, c51); } }
                    if (Unsafe.SizeOf<TRows>() > 6) { c60 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a6, p)), b0, c60); if (Unsafe.SizeOf<TVectors>() == 2) { c61 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a6, p)), b1, c61); } }
                    if (Unsafe.SizeOf<TRows>() > 7) { c70 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a7, p)), b0, c70); if (Unsafe.SizeOf<TVectors>() == 2) { c71 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a7, p)), b1, c71); } }
                    if (Unsafe.SizeOf<TRows>() > 8) { c80 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a8, p)), b0, c80); if (Unsafe.SizeOf<TVectors>() == 2) { c81 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a8, p)), b1, c81); } }
                    if (Unsafe.SizeOf<TRows>() > 9) { c90 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a9, p)), b0, c90); if (Unsafe.SizeOf<TVectors>() == 2) { c91 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref a9, p)), b1, c91); } }
                    if (Unsafe.SizeOf<TRows>() > 10) { cA0 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref aA, p)), b0, cA0); if (Unsafe.SizeOf<TVectors>() == 2) { cA1 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref aA, p)), b1, cA1); } }
                    if (Unsafe.SizeOf<TRows>() > 11) { cB0 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref aB, p)), b0, cB0); if (Unsafe.SizeOf<TVectors>() == 2) { cB1 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref aB, p)), b1, cB1); } }
                    bt = ref Unsafe.Add(ref bt, bStride);
                }
            }
            else
            {
                for (nuint p = 0; p < depth; p++)
                {
                    V b0 = S.Load(ref bt, 0), b1 = two ? S.Load(ref bt, L) : S.Zero;
                    c00 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 0)), b0, c00); if (Unsafe.SizeOf<TVectors>() == 2) { c01 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 0)), b1, c01); }
                    if (Unsafe.SizeOf<TRows>() > 1) { c10 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 1)), b0, c10); if (Unsafe.SizeOf<TVectors>() == 2) { c11 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 1)), b1, c11); } }
                    if (Unsafe.SizeOf<TRows>() > 2) { c20 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 2)), b0, c20); if (Unsafe.SizeOf<TVectors>() == 2) { c21 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 2)), b1, c21); } }
                    if (Unsafe.SizeOf<TRows>() > 3) { c30 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 3)), b0, c30); if (Unsafe.SizeOf<TVectors>() == 2) { c31 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 3)), b1, c31); } }
                    if (Unsafe.SizeOf<TRows>() > 4) { c40 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 4)), b0, c40); if (Unsafe.SizeOf<TVectors>() == 2) { c41 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 4)), b1, c41); } }
                    if (Unsafe.SizeOf<TRows>() > 5) { c50 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 5)), b0, c50); if (Unsafe.SizeOf<TVectors>() == 2) { c51 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 5)), b1, c51); } }
                    if (Unsafe.SizeOf<TRows>() > 6) { c60 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 6)), b0, c60); if (Unsafe.SizeOf<TVectors>() == 2) { c61 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 6)), b1, c61); } }
                    if (Unsafe.SizeOf<TRows>() > 7) { c70 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 7)), b0, c70); if (Unsafe.SizeOf<TVectors>() == 2) { c71 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 7)), b1, c71); } }
                    if (Unsafe.SizeOf<TRows>() > 8) { c80 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 8)), b0, c80); if (Unsafe.SizeOf<TVectors>() == 2) { c81 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 8)), b1, c81); } }
                    if (Unsafe.SizeOf<TRows>() > 9) { c90 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 9)), b0, c90); if (Unsafe.SizeOf<TVectors>() == 2) { c91 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 9)), b1, c91); } }
                    if (Unsafe.SizeOf<TRows>() > 10) { cA0 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 10)), b0, cA0); if (Unsafe.SizeOf<TVectors>() == 2) { cA1 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 10)), b1, cA1); } }
                    if (Unsafe.SizeOf<TRows>() > 11) { cB0 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 11)), b0, cB0); if (Unsafe.SizeOf<TVectors>() == 2) { cB1 = S.MultiplyAdd(S.Broadcast(Unsafe.Add(ref at, 11)), b1, cB1); } }
                    at = ref Unsafe.Add(ref at, aStride);
                    bt = ref Unsafe.Add(ref bt, bStride);
                }
            }

            S.Store(c00, ref c, 0 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c01, ref c, (0 * cStride) + L); }
            if (Unsafe.SizeOf<TRows>() > 1) { S.Store(c10, ref c, 1 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c11, ref c, (1 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 2) { S.Store(c20, ref c, 2 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c21, ref c, (2 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 3) { S.Store(c30, ref c, 3 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c31, ref c, (3 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 4) { S.Store(c40, ref c, 4 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c41, ref c, (4 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 5) { S.Store(c50, ref c, 5 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c51, ref c, (5 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 6) { S.Store(c60, ref c, 6 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c61, ref c, (6 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 7) { S.Store(c70, ref c, 7 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c71, ref c, (7 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 8) { S.Store(c80, ref c, 8 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c81, ref c, (8 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 9) { S.Store(c90, ref c, 9 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(c91, ref c, (9 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 10) { S.Store(cA0, ref c, 10 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(cA1, ref c, (10 * cStride) + L); } }
            if (Unsafe.SizeOf<TRows>() > 11) { S.Store(cB0, ref c, 11 * cStride); if (Unsafe.SizeOf<TVectors>() == 2) { S.Store(cB1, ref c, (11 * cStride) + L); } }

            a = ref Unsafe.Add(ref a, aTileStep);
            c = ref Unsafe.Add(ref tileC, (nuint)rows * cStride);
        }

        // The finish from memory, once for the whole column of tiles: inlined per accumulator it would give the JIT
        // more temporaries than it tracks (it then keeps the accumulators on the stack), and even once per tile it
        // spends the inlining budget (the sigmoid's table becomes a call).
        if (finish != Finish.Store)
        {
            Epilogue<S, T, V>(ref firstC, cStride, ref gate, rows * tiles, two ? 2 : 1, finish);
        }
    }

    /// <summary>σ(sum), or h(1 − h)·sum, over <paramref name="rows"/> rows of sums already stored in C.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Epilogue<S, T, V>(ref T c, nuint cStride, ref T gate, int rows, int vectors, Finish finish)
        where S : ISimd<T, V>
        where T : unmanaged
        where V : struct
    {
        nuint lanes = (nuint)S.Lanes;
        if (finish == Finish.Sigmoid)
        {
            // One column of vectors at a time: the sigmoid's ten constants then stay in registers across the rows. With
            // both vectors of a row in one pass, sixteen registers do not hold them and the JIT reloads every one per row.
            for (nuint v = 0; v < (nuint)vectors; v++)
            {
                ref T column = ref Unsafe.Add(ref c, v * lanes);
                for (int r = 0; r < rows; r++)
                {
                    nuint at = (nuint)r * cStride;
                    S.Store(S.Sigmoid(S.Load(ref column, at)), ref column, at);
                }
            }
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                for (nuint v = 0; v < (nuint)vectors; v++)
                {
                    nuint at = ((nuint)r * cStride) + (v * lanes);
                    S.Store(S.SigmoidGradient(S.Load(ref gate, at), S.Load(ref c, at)), ref c, at);
                }
            }
        }
    }
}
