using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
/// <param name="PackA">
/// Whether A is first copied tile by tile (<see cref="Packed"/>), up to <see cref="RowBlock"/> rows at a time, once for
/// all the panels that read it: a tile then reads one stream instead of one per row. Rows of A a multiple of 4 KB
/// apart (n = 1024, 2048) would otherwise all fall in the same few sets of the L1 cache and evict each other.
/// </param>
internal readonly record struct Blocking(int TileRows, int DepthBlock, bool PackB, bool PackA = false)
{
    /// <summary>The tile row counts <see cref="RegisterTile"/> is compiled for as full tiles.</summary>
    public static readonly int[] TileRowChoices = [4, 6, 8, 12];

    /// <summary>Panels of B packed together in one pass over its rows (see <see cref="BlockedProduct"/>).</summary>
    public const int PackGroup = 4;

    /// <summary>Rows of A packed at a time with <see cref="PackA"/>: a chunk's worth, so that the copy of a block of A stays in the L2 cache.</summary>
    public const int RowBlock = 256;

    /// <summary>
    /// Elements a pack buffer has beyond what it holds, so that its start can be moved to a 64-byte boundary: a vector
    /// of 64 bytes that crosses a cache line costs two loads. Sixteen elements are 64 bytes of floats (128 of doubles),
    /// and each region of the buffer is rounded to a multiple of them.
    /// </summary>
    public const int AlignmentSlack = 16;

    /// <summary>
    /// Elements of the buffer a product needs with this blocking for <paramref name="rows"/> rows and the given depth: a
    /// group of packed panels of B (a transposed B is always packed, a panel at a time), then the tiles of A when they
    /// are packed, plus the slack that aligns them.
    /// </summary>
    public int PackLength(int rows, int depth, int lanes)
    {
        int d = DepthBlock == 0 ? depth : Math.Min(depth, DepthBlock);
        return AlignmentSlack + BRegion(d, lanes) + (PackA ? Math.Min(rows, RowBlock) * d : 0);
    }

    /// <summary>The largest <see cref="PackLength"/> of any blocking for products no deeper than <paramref name="depth"/>.</summary>
    public static int MaxPackLength(int depth, int lanes) => AlignmentSlack + BRegion(depth, lanes) + (RowBlock * depth);

    /// <summary>Elements of a buffer's packed panels of B, rounded up so that what follows them stays aligned.</summary>
    public static int BRegion(int depth, int lanes) => ((depth * 2 * lanes * PackGroup) + AlignmentSlack - 1) / AlignmentSlack * AlignmentSlack;

    /// <summary>A short name, as in wisdom and <c>AEGEN_KERNEL</c>: <c>8x2-k256-packed</c>, <c>12x2-kall</c>, <c>12x2-kall-packed-atiles</c>.</summary>
    public override string ToString() =>
        $"{TileRows}x2-{(DepthBlock == 0 ? "kall" : "k" + DepthBlock.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(PackB ? "-packed" : "")}{(PackA ? "-atiles" : "")}";

    /// <summary>Reads what <see cref="ToString"/> wrote.</summary>
    /// <exception cref="FormatException">The text is not a blocking; the message says what one looks like.</exception>
    public static Blocking Parse(string text)
    {
        string[] parts = text.Split('-');
        int options = parts.Length - 2;
        bool packB = options > 0 && parts[2] == "packed";
        bool packA = options > 0 && parts[^1] == "atiles";
        if (parts.Length is < 2 or > 4 || !parts[0].EndsWith("x2", StringComparison.Ordinal)
            || !int.TryParse(parts[0].AsSpan(0, parts[0].Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int rows)
            || Array.IndexOf(TileRowChoices, rows) < 0 || !parts[1].StartsWith('k') || options != (packB ? 1 : 0) + (packA ? 1 : 0))
        {
            throw new FormatException($"'{text}' is not a kernel blocking: expected the tile rows (4, 6, 8 or 12) and 'x2', then '-kall' or '-k' and a depth, then optionally '-packed' and '-atiles', as in 8x2-k256-packed.");
        }

        int depth = 0;
        if (parts[1] != "kall" && (!int.TryParse(parts[1].AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out depth) || depth < 1))
        {
            throw new FormatException($"'{text}' is not a kernel blocking: its depth '{parts[1]}' must be 'kall' or 'k' and a positive whole number.");
        }

        return new Blocking(rows, depth, packB, packA);
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
        pack = Aligned(pack);
        // With A packed, a block of rows at a time, so that the copy stays bounded however many rows there are.
        int rowStep = blocking.PackA ? Blocking.RowBlock : Math.Max(1, endRow - firstRow);
        for (int first = firstRow; first < endRow; first += rowStep)
        {
            int end = Math.Min(endRow, first + rowStep);
            switch (blocking.TileRows)
            {
                case 4: Blocks<S, T, V, TAccess, Four>(product, blocking, firstPanel, endPanel, first, end, pack); break;
                case 6: Blocks<S, T, V, TAccess, Six>(product, blocking, firstPanel, endPanel, first, end, pack); break;
                case 8: Blocks<S, T, V, TAccess, Eight>(product, blocking, firstPanel, endPanel, first, end, pack); break;
                case 12: Blocks<S, T, V, TAccess, Twelve>(product, blocking, firstPanel, endPanel, first, end, pack); break;
                default: throw new ArgumentOutOfRangeException(nameof(blocking), blocking.TileRows, "Tiles have 4, 6, 8 or 12 rows.");
            }
        }

        if (edgeColumns)
        {
            EdgeColumns<T, TAccess>(product, firstRow, endRow, product.Columns / S.Lanes * S.Lanes);
        }
    }

    /// <summary>The buffer from its first element on a 64-byte boundary (the callers' buffers are pinned, or in the pinned heap).</summary>
    private static Span<T> Aligned<T>(Span<T> pack)
        where T : unmanaged
    {
        if (pack.IsEmpty)
        {
            return pack;
        }

        nuint address = (nuint)Unsafe.AsPointer(ref pack[0]);
        int skip = (int)((64 - (address % 64)) % 64) / Unsafe.SizeOf<T>();
        return skip < pack.Length ? pack[skip..] : pack;
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
            ref T aTiles = ref aBlock;
            if (blocking.PackA)
            {
                aTiles = ref pack[Blocking.BRegion(depth, lanes)];
                PackTiles<T, TAccess, TRows>(product, ref aBlock, depth, firstRow, endRow, ref aTiles);
            }

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

                if (blocking.PackA)
                {
                    if (two)
                    {
                        Tiles<S, T, V, Packed, TRows, Two>(product, ref aTiles, ref b, bStride, depth, column, firstRow, endRow, start, finish);
                    }
                    else
                    {
                        Tiles<S, T, V, Packed, TRows, One>(product, ref aTiles, ref b, bStride, depth, column, firstRow, endRow, start, finish);
                    }
                }
                else if (two)
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
    /// Copies A(i, p) for rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) and the block's depth to the
    /// layout <see cref="Packed"/> reads: tiles of <typeparamref name="TRows"/> rows and a last tile of the rows left,
    /// each tile's rows side by side one step of p after another, the tile from row r starting (r − firstRow)·depth on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTiles<T, TAccess, TRows>(in Product<T> product, ref T aBlock, int depth, int firstRow, int endRow, ref T tiles)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAccess : IAccess
        where TRows : ICount
    {
        int stride = (int)product.AStride;
        for (int row = firstRow; row < endRow; row += TRows.Value)
        {
            int height = Math.Min(TRows.Value, endRow - row);
            ref T to = ref Unsafe.Add(ref tiles, (nuint)(row - firstRow) * (nuint)depth);
            if (TAccess.RowsApart)
            {
                // A tile's rows are rows of A: a transpose of height × depth.
                Internals.Matrix.Transpose(ref Unsafe.Add(ref aBlock, (nuint)row * (nuint)stride), stride, ref to, height, height, depth);
            }
            else
            {
                // A tile's rows already lie side by side at each p.
                for (int p = 0; p < depth; p++)
                {
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref aBlock, ((nuint)p * (nuint)stride) + (nuint)row), height)
                        .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref to, (nuint)p * (nuint)height), height));
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
            Tile<S, T, V, TAccess, TRows, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, firstRow, column, start, finish, whole);
        }

        int row = firstRow + (whole * TRows.Value);
        switch (endRow - row)
        {
            case 0: break;
            case 1: Tile<S, T, V, TAccess, One, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            case 2: Tile<S, T, V, TAccess, Two, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            case 3: Tile<S, T, V, TAccess, Three, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            case 4: Tile<S, T, V, TAccess, Four, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            case 5: Tile<S, T, V, TAccess, Five, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            case 6: Tile<S, T, V, TAccess, Six, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            case 7: Tile<S, T, V, TAccess, Seven, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            case 8: Tile<S, T, V, TAccess, Eight, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            case 9: Tile<S, T, V, TAccess, Nine, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            case 10: Tile<S, T, V, TAccess, Ten, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
            default: Tile<S, T, V, TAccess, Eleven, TVectors>(product, ref aBlock, ref b, bStride, depth, firstRow, row, column, start, finish, 1); break;
        }
    }

    /// <summary><paramref name="tiles"/> tiles of <typeparamref name="TRows"/> rows from <paramref name="row"/> down (with A packed, the tiles from <paramref name="firstRow"/> on are in <paramref name="aBlock"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<S, T, V, TAccess, TRows, TVectors>(
        in Product<T> product, ref T aBlock, ref T b, nuint bStride, int depth, int firstRow, int row, int column, Start start, Finish finish, int tiles)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
        where TAccess : IAccess
        where TRows : ICount
        where TVectors : ICount
    {
        nuint at = ((nuint)row * product.CStride) + (nuint)column;
        bool packed = Unsafe.SizeOf<TAccess>() == 3;
        RegisterTile.Multiply<S, T, V, TRows, TVectors, TAccess>(
            ref Unsafe.Add(ref aBlock, packed ? (nuint)(row - firstRow) * (nuint)depth : TAccess.RowsApart ? (nuint)row * product.AStride : (nuint)row),
            packed ? (nuint)TRows.Value : product.AStride,
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
