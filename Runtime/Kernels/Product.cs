using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AeGen.Kernels;

/// <summary>
/// One matrix product of the network, C = finish(start + A·B), with A Rows × Depth (read as <c>TAccess</c> says),
/// B Depth × Columns and C Rows × Columns, both row-major. Every product of the forward and backward pass is one of
/// these; only the operands, the start and the finish differ.
/// </summary>
/// <remarks>
/// Pointers, not references: the memory is pinned for the whole call, and a product can then be handed to the
/// threads that share it.
/// </remarks>
internal unsafe struct Product<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* A;
    public nuint AStride;
    public T* B;
    public nuint BStride;

    /// <summary>
    /// B is stored transposed: B(p, j) = b[j·BStride + p], the rows of a weight matrix whose transpose the error flows
    /// back through. Its panels are then always packed, transposed on the way, so no whole transpose is made.
    /// </summary>
    public bool BTransposed;
    public T* C;
    public nuint CStride;

    /// <summary>Read for <see cref="Start.Bias"/>: Columns values.</summary>
    public T* Bias;

    /// <summary>Read for <see cref="Finish.SigmoidGradient"/>: laid out as C, and never C itself.</summary>
    public T* Gate;

    public int Rows;
    public int Columns;
    public int Depth;
    public Start Start;
    public Finish Finish;
}

/// <summary>
/// How a product is cut up; every choice computes each element of C by the same chain of multiply-adds, so they
/// differ in speed only (see <see cref="RegisterTile"/>).
/// </summary>
/// <param name="TileRows">Rows of a register tile: 4, 6, 8 or 12.</param>
/// <param name="DepthBlock">Depth of one pass over a panel of B (0: the whole depth), so that the panel stays in the L1 cache while every row tile of the product reads it.</param>
/// <param name="PackB">Whether each panel of B is first copied to a contiguous buffer: one stream for the hardware prefetcher and a few pages for the TLB, instead of one row of B per page when B is wide.</param>
internal readonly record struct Blocking(int TileRows, int DepthBlock, bool PackB)
{
    /// <summary>The tile row counts <see cref="RegisterTile"/> is compiled for as full tiles.</summary>
    public static readonly int[] TileRowChoices = [4, 6, 8, 12];

    /// <summary>Elements of the buffer a product needs for a group of packed panels of B with this blocking (a transposed B is always packed, a panel at a time).</summary>
    public int PackLength(int depth, int lanes) => (DepthBlock == 0 ? depth : Math.Min(depth, DepthBlock)) * 2 * lanes * PackGroup;

    /// <summary>Panels of B packed together in one pass over its rows (see <see cref="BlockedProduct"/>).</summary>
    public const int PackGroup = 4;

    /// <summary>A short name, as in wisdom and <c>AEGEN_KERNEL</c>: <c>8x2-k256-packed</c>, <c>12x2-kall</c>.</summary>
    public override string ToString() =>
        $"{TileRows}x2-{(DepthBlock == 0 ? "kall" : "k" + DepthBlock.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(PackB ? "-packed" : "")}";

    /// <summary>Reads what <see cref="ToString"/> wrote.</summary>
    /// <exception cref="FormatException">The text is not a blocking; the message says what one looks like.</exception>
    public static Blocking Parse(string text)
    {
        string[] parts = text.Split('-');
        if (parts.Length is < 2 or > 3 || !parts[0].EndsWith("x2", StringComparison.Ordinal)
            || !int.TryParse(parts[0].AsSpan(0, parts[0].Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int rows)
            || Array.IndexOf(TileRowChoices, rows) < 0 || !parts[1].StartsWith('k') || (parts.Length == 3 && parts[2] != "packed"))
        {
            throw new FormatException($"'{text}' is not a kernel blocking: expected the tile rows (4, 6, 8 or 12) and 'x2', then '-kall' or '-k' and a depth, then optionally '-packed', as in 8x2-k256-packed.");
        }

        int depth = 0;
        if (parts[1] != "kall" && (!int.TryParse(parts[1].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out depth) || depth < 1))
        {
            throw new FormatException($"'{text}' is not a kernel blocking: its depth '{parts[1]}' must be 'kall' or 'k' and a positive whole number.");
        }

        return new Blocking(rows, depth, parts.Length == 3);
    }
}

/// <summary>
/// The loops around <see cref="RegisterTile"/>: depth blocks, panels of two vectors of columns, tiles of rows. A caller
/// may run a range of panels and of rows, so that threads can share one product by columns or by rows; any split gives
/// the same bits, since no element's chain of sums is ever cut between threads.
/// </summary>
internal static unsafe class BlockedProduct
{
    /// <summary>Columns of C in panels of two vectors: the last panel may hold one vector; columns past the last whole vector are done one by one.</summary>
    public static int Panels(int columns, int lanes) => ((columns / lanes) + 1) / 2;

    /// <summary>
    /// C for panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>) and rows [<paramref name="firstRow"/>,
    /// <paramref name="endRow"/>); with <paramref name="edgeColumns"/>, also the columns past the last whole vector.
    /// <paramref name="pack"/> holds <see cref="Blocking.PackLength"/> elements.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<S, T, V, TAccess>(in Product<T> product, Blocking blocking, int firstPanel, int endPanel, int firstRow, int endRow, bool edgeColumns, Span<T> pack)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
        where TAccess : IAccess
    {
        switch (blocking.TileRows)
        {
            case 4: Blocks<S, T, V, TAccess, Four>(product, blocking, firstPanel, endPanel, firstRow, endRow, pack); break;
            case 6: Blocks<S, T, V, TAccess, Six>(product, blocking, firstPanel, endPanel, firstRow, endRow, pack); break;
            case 8: Blocks<S, T, V, TAccess, Eight>(product, blocking, firstPanel, endPanel, firstRow, endRow, pack); break;
            case 12: Blocks<S, T, V, TAccess, Twelve>(product, blocking, firstPanel, endPanel, firstRow, endRow, pack); break;
            default: throw new ArgumentOutOfRangeException(nameof(blocking), blocking.TileRows, "Tiles have 4, 6, 8 or 12 rows.");
        }

        if (edgeColumns)
        {
            EdgeColumns<T, TAccess>(product, firstRow, endRow, product.Columns / S.Lanes * S.Lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocks<S, T, V, TAccess, TRows>(in Product<T> product, Blocking blocking, int firstPanel, int endPanel, int firstRow, int endRow, Span<T> pack)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
        where TAccess : IAccess
        where TRows : ICount
    {
        int lanes = S.Lanes;
        int vectorColumns = product.Columns / lanes * lanes;
        int step = blocking.DepthBlock == 0 ? product.Depth : blocking.DepthBlock;
        for (int p0 = 0; p0 < product.Depth; p0 += step)
        {
            int depth = Math.Min(step, product.Depth - p0);
            Start start = p0 == 0 ? product.Start : Start.Accumulate;
            Finish finish = p0 + depth == product.Depth ? product.Finish : Finish.Store;
            ref T bBlock = ref Unsafe.AsRef<T>(product.B + (product.BTransposed ? (nuint)p0 : (nuint)p0 * product.BStride));
            ref T aBlock = ref Unsafe.AsRef<T>(product.A + (TAccess.RowsApart ? (nuint)p0 : (nuint)p0 * product.AStride));
            int slot = depth * 2 * lanes;
            for (int panel = firstPanel; panel < endPanel; panel++)
            {
                int column = panel * 2 * lanes;
                bool two = column + (2 * lanes) <= vectorColumns;
                ref T b = ref Unsafe.Add(ref bBlock, product.BTransposed ? (nuint)column * product.BStride : (nuint)column);
                nuint bStride = product.BStride;
                int width = two ? 2 * lanes : lanes;
                if (product.BTransposed)
                {
                    Internals.Matrix.Transpose(ref b, (int)bStride, ref pack[0], width, width, depth);
                    b = ref pack[0];
                    bStride = (nuint)width;
                }
                else if (blocking.PackB)
                {
                    // Panels are packed a group at a time, by one pass over the block's rows of B that copies each
                    // row's part for the whole group: a wide B has each row on pages of its own, and one pass per
                    // panel would visit every row's page once per panel, more pages than the TLB holds.
                    int inGroup = (panel - firstPanel) % Blocking.PackGroup;
                    if (inGroup == 0)
                    {
                        int panels = Math.Min(Blocking.PackGroup, endPanel - panel);
                        int groupColumns = Math.Min(panels * 2 * lanes, vectorColumns - column);
                        Pack<S, T, V>(ref b, bStride, depth, groupColumns / lanes, slot, ref pack[0]);
                    }

                    b = ref pack[inGroup * slot];
                    bStride = (nuint)width;
                }

                if (two)
                {
                    Tiles<S, T, V, TAccess, TRows, Two>(product, ref aBlock, ref b, bStride, depth, column, firstRow, endRow, start, finish);
                }
                else
                {
                    Tiles<S, T, V, TAccess, TRows, One>(product, ref aBlock, ref b, bStride, depth, column, firstRow, endRow, start, finish);
                }
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="depth"/> rows of <paramref name="vectors"/> consecutive vectors of B, panels of two vectors
    /// each (the last may have one), to panel after panel <paramref name="slot"/> elements apart, each panel's rows
    /// consecutive.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack<S, T, V>(ref T b, nuint bStride, int depth, int vectors, int slot, ref T packed)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
    {
        nuint lanes = (nuint)S.Lanes;
        int whole = vectors / 2;
        bool single = (vectors & 1) != 0;
        nuint width = 2 * lanes;
        for (int p = 0; p < depth; p++)
        {
            nuint row = (nuint)p * width;
            for (int g = 0; g < whole; g++)
            {
                nuint to = ((nuint)g * (nuint)slot) + row;
                S.Store(S.Load(ref b, (nuint)g * width), ref packed, to);
                S.Store(S.Load(ref b, ((nuint)g * width) + lanes), ref packed, to + lanes);
            }

            if (single)
            {
                // The last panel of one vector keeps its rows one vector apart.
                S.Store(S.Load(ref b, (nuint)whole * width), ref packed, ((nuint)whole * (nuint)slot) + ((nuint)p * lanes));
            }

            b = ref Unsafe.Add(ref b, bStride);
        }
    }

    /// <summary>Whole tiles of <typeparamref name="TRows"/> rows in one call, then one tile of the rows left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tiles<S, T, V, TAccess, TRows, TVectors>(
        in Product<T> product, ref T aBlock, ref T b, nuint bStride, int depth, int column, int firstRow, int endRow, Start start, Finish finish)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
        where TAccess : IAccess
        where TRows : ICount
        where TVectors : ICount
    {
        int whole = (endRow - firstRow) / TRows.Value;
        if (whole > 0)
        {
            Tile<S, T, V, TAccess, TRows, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, column, start, finish, whole);
        }

        int row = firstRow + (whole * TRows.Value);
        switch (endRow - row)
        {
            case 0: break;
            case 1: Tile<S, T, V, TAccess, One, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            case 2: Tile<S, T, V, TAccess, Two, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            case 3: Tile<S, T, V, TAccess, Three, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            case 4: Tile<S, T, V, TAccess, Four, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            case 5: Tile<S, T, V, TAccess, Five, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            case 6: Tile<S, T, V, TAccess, Six, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            case 7: Tile<S, T, V, TAccess, Seven, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            case 8: Tile<S, T, V, TAccess, Eight, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            case 9: Tile<S, T, V, TAccess, Nine, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            case 10: Tile<S, T, V, TAccess, Ten, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
            default: Tile<S, T, V, TAccess, Eleven, TVectors>(product, ref aBlock, ref b, bStride, depth, row, column, start, finish, 1); break;
        }
    }

    /// <summary><paramref name="tiles"/> tiles of <typeparamref name="TRows"/> rows from <paramref name="row"/> down.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<S, T, V, TAccess, TRows, TVectors>(
        in Product<T> product, ref T aBlock, ref T b, nuint bStride, int depth, int row, int column, Start start, Finish finish, int tiles)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
        where TAccess : IAccess
        where TRows : ICount
        where TVectors : ICount
    {
        nuint at = ((nuint)row * product.CStride) + (nuint)column;
        RegisterTile.Multiply<S, T, V, TRows, TVectors, TAccess>(
            ref Unsafe.Add(ref aBlock, TAccess.RowsApart ? (nuint)row * product.AStride : (nuint)row),
            product.AStride,
            ref b,
            bStride,
            (nuint)depth,
            ref Unsafe.AsRef<T>(product.C + at),
            product.CStride,
            ref Unsafe.AsRef<T>(product.Bias + column),
            ref Unsafe.AsRef<T>(product.Gate + at),
            start,
            finish,
            tiles);
    }

    /// <summary>The columns from <paramref name="firstColumn"/> on, one element at a time, in the same order of sums as the tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EdgeColumns<T, TAccess>(in Product<T> product, int firstRow, int endRow, int firstColumn)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : IAccess
    {
        for (int i = firstRow; i < endRow; i++)
        {
            for (int j = firstColumn; j < product.Columns; j++)
            {
                nuint at = ((nuint)i * product.CStride) + (nuint)j;
                T sum = product.Start switch
                {
                    Start.Bias => product.Bias[j],
                    Start.Accumulate => product.C[at],
                    _ => default,
                };
                for (int p = 0; p < product.Depth; p++)
                {
                    T a = TAccess.RowsApart ? product.A[((nuint)i * product.AStride) + (nuint)p] : product.A[((nuint)p * product.AStride) + (nuint)i];
                    T b = product.BTransposed ? product.B[((nuint)j * product.BStride) + (nuint)p] : product.B[((nuint)p * product.BStride) + (nuint)j];
                    sum = T.MultiplyAddEstimate(a, b, sum);
                }

                product.C[at] = product.Finish switch
                {
                    Finish.Sigmoid => typeof(T) == typeof(float)
                        ? (T)(object)Internals.Activation.Sigmoid((float)(object)sum)
                        : (T)(object)Internals.Activation.Sigmoid((double)(object)sum),
                    Finish.SigmoidGradient => Internals.Activation.SigmoidGradient(product.Gate[at], sum),
                    _ => sum,
                };
            }
        }
    }
}
