using System;
using System.Buffers;
using System.Numerics;
using System.Threading.Tasks;

namespace AeGen.Kernels;

/// <summary>
/// Threads that share each large product of one call: by panels of columns where there are enough of them, else by
/// rows. Neither split cuts the chain of sums of any element, so the result does not depend on the thread count.
/// </summary>
internal sealed class Team
{
    /// <summary>
    /// Multiply-adds below which a product runs on the calling thread alone: waking a pool thread costs microseconds,
    /// a product this size takes a hundred or so on one core, so below it the second thread costs about what it saves.
    /// </summary>
    public const long MinimumWork = 1L << 22;

    private static readonly Team?[] Teams = new Team?[65];

    private readonly ParallelOptions _options;

    private Team(int workers)
    {
        Workers = workers;
        _options = new ParallelOptions { MaxDegreeOfParallelism = workers };
    }

    /// <summary>How many threads share a product.</summary>
    public int Workers { get; }

    /// <summary>A team of <paramref name="maxDegreeOfParallelism"/> threads (−1: one per core), or null for one thread.</summary>
    public static Team? For(int maxDegreeOfParallelism)
    {
        int workers = Math.Min(maxDegreeOfParallelism < 1 ? Environment.ProcessorCount : maxDegreeOfParallelism, Teams.Length - 1);
        return workers <= 1 ? null : Teams[workers] ??= new Team(workers);
    }

    /// <summary>Whether a product of this size is worth sharing.</summary>
    public bool Shares(int rows, int columns, int depth) => (long)rows * columns * depth >= MinimumWork;

    /// <summary>Runs <paramref name="product"/> on <see cref="Workers"/> threads, each with its own pack buffer.</summary>
    public unsafe void Run<S, T, V, TAccess>(Product<T> product, Blocking blocking)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
        where TAccess : IAccess
    {
        int panels = BlockedProduct.Panels(product.Columns, S.Lanes);
        bool byPanels = panels >= Workers;
        int rowUnits = (product.Rows + blocking.TileRows - 1) / blocking.TileRows;
        int parts = Math.Min(Workers, byPanels ? panels : rowUnits);
        int packLength = blocking.PackLength(product.Depth, S.Lanes) + 1;
        Parallel.For(0, parts, _options, part =>
        {
            T[] pack = ArrayPool<T>.Shared.Rent(packLength);
            if (byPanels)
            {
                BlockedProduct.Run<S, T, V, TAccess>(product, blocking, panels * part / parts, panels * (part + 1) / parts, 0, product.Rows, edgeColumns: part == parts - 1, pack);
            }
            else
            {
                int first = Math.Min(product.Rows, rowUnits * part / parts * blocking.TileRows);
                int end = Math.Min(product.Rows, rowUnits * (part + 1) / parts * blocking.TileRows);
                BlockedProduct.Run<S, T, V, TAccess>(product, blocking, 0, panels, first, end, edgeColumns: true, pack);
            }

            ArrayPool<T>.Shared.Return(pack);
        });
    }
}
