using System;
using System.Numerics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace AeGen.Kernels;

/// <summary>Work cut into numbered parts that may run in any order, on any thread, each exactly once.</summary>
internal interface ITeamWork
{
    /// <summary>Does part <paramref name="part"/>.</summary>
    void Run(int part);
}

/// <summary>
/// Threads that share the parts of one piece of work: the calling thread and <see cref="Workers"/> − 1 helpers that
/// live as long as the process and wait between pieces. Unlike <c>Parallel.For</c>, a run allocates nothing, so a
/// training step on several threads stays at 0 B. The parts of a run write disjoint results (panels of columns,
/// rows, shards, ranges of parameters) and none cuts the chain of sums of any element, so which thread runs which
/// part, and how many threads there are, never changes a bit of the result.
/// </summary>
internal sealed class Team
{
    /// <summary>
    /// Multiply-adds below which a product runs on the calling thread alone: waking a helper costs microseconds,
    /// a product this size takes a hundred or so on one core, so below it the second thread costs about what it saves.
    /// </summary>
    public const long MinimumWork = 1L << 22;

    private static readonly Team?[] Teams = new Team?[65];
    private static readonly object Creating = new();

    private readonly SemaphoreSlim[] _wake;

    // What each helper thread has allocated in its life, as of the end of its last run: for the tests that show a
    // shared step allocates nothing, which cannot count other threads' allocations with the whole process's count.
    private readonly long[] _helperAllocations;

    // The current run, published to the helpers by releasing their semaphores.
    private ITeamWork? _work;
    private int _parts;
    private int _nextPart;
    private int _unfinished;
    private int _helping;
    private Exception? _failure;

    // 1 while a run is in progress: a second caller (another model's Fit on another thread, say) does its parts alone.
    private int _busy;

    private Team(int workers)
    {
        Workers = workers;
        _wake = new SemaphoreSlim[workers - 1];
        _helperAllocations = new long[workers - 1];
        for (int i = 0; i < _wake.Length; i++)
        {
            _wake[i] = new SemaphoreSlim(0);
            int index = i;
            var helper = new Thread(() => Help(index)) { IsBackground = true, Name = $"AeGen team helper {i + 1} of {workers - 1}" };
            helper.Start();
        }
    }

    /// <summary>How many threads share a piece of work.</summary>
    public int Workers { get; }

    /// <summary>A team of <paramref name="maxDegreeOfParallelism"/> threads (−1: one per core), or null for one thread.</summary>
    public static Team? For(int maxDegreeOfParallelism)
    {
        int workers = Math.Min(maxDegreeOfParallelism < 1 ? Environment.ProcessorCount : maxDegreeOfParallelism, Teams.Length - 1);
        if (workers <= 1)
        {
            return null;
        }

        if (Volatile.Read(ref Teams[workers]) is Team team)
        {
            return team;
        }

        lock (Creating)
        {
            return Teams[workers] ??= new Team(workers);
        }
    }

    /// <summary>Bytes the helper threads have allocated, as of the end of their last run.</summary>
    internal long HelperAllocatedBytes
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _helperAllocations.Length; i++)
            {
                total += Volatile.Read(ref _helperAllocations[i]);
            }

            return total;
        }
    }

    /// <summary>Whether a product of this size is worth sharing.</summary>
    public bool Shares(int rows, int columns, int depth) => (long)rows * columns * depth >= MinimumWork;

    /// <summary>
    /// Runs parts 0 … <paramref name="parts"/> − 1 of <paramref name="work"/> and returns when all are done. The calling
    /// thread takes parts too; if the team is already running another piece of work, it takes them all.
    /// </summary>
    public void Run(ITeamWork work, int parts)
    {
        if (parts <= 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int part = 0; part < parts; part++)
            {
                work.Run(part);
            }

            return;
        }

        try
        {
            _work = work;
            _parts = parts;
            _failure = null;
            Volatile.Write(ref _nextPart, 0);
            Volatile.Write(ref _unfinished, parts);
            int helpers = Math.Min(_wake.Length, parts - 1);
            // Every helper woken checks in before the run ends, so none can still be looking at this run's state
            // when the next run writes its own.
            Volatile.Write(ref _helping, helpers);
            for (int i = 0; i < helpers; i++)
            {
                _wake[i].Release();
            }

            TakeParts();
            var wait = default(SpinWait);
            while (Volatile.Read(ref _unfinished) > 0 || Volatile.Read(ref _helping) > 0)
            {
                wait.SpinOnce(sleep1Threshold: -1);
            }

            if (_failure is Exception failure)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
        finally
        {
            _work = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Runs <paramref name="product"/> on <see cref="Workers"/> threads, each part with its own pack buffer.</summary>
    public void Run<S, T, V, TAccess>(in Product<T> product, Blocking blocking)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
        where TAccess : IAccess
    {
        ProductParts<S, T, V, TAccess> work = ProductParts<S, T, V, TAccess>.ForThisThread(product, blocking, Workers);
        Run(work, work.Parts);
    }

    /// <summary>Takes parts of the current run until none is left.</summary>
    private void TakeParts()
    {
        ITeamWork work = _work!;
        int part;
        while ((part = Interlocked.Increment(ref _nextPart) - 1) < _parts)
        {
            try
            {
                work.Run(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                Interlocked.Decrement(ref _unfinished);
            }
        }
    }

    private void Help(int index)
    {
        SemaphoreSlim wake = _wake[index];
        while (true)
        {
            // SemaphoreSlim spins briefly before it blocks, so a helper woken again soon after a part answers fast.
            wake.Wait();
            TakeParts();
            Volatile.Write(ref _helperAllocations[index], GC.GetAllocatedBytesForCurrentThread());
            Interlocked.Decrement(ref _helping);
        }
    }
}

/// <summary>
/// The parts of one product: panels of columns where there are enough of them for every thread, else bands of
/// whole row tiles. One instance per calling thread and instantiation, reused run after run, with a pack buffer per
/// part (kept, not rented: the shared pool handed a helper thread a fresh array now and then).
/// </summary>
internal sealed class ProductParts<S, T, V, TAccess> : ITeamWork
    where S : ISimd<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct
    where TAccess : IAccess
{
    [ThreadStatic]
    private static ProductParts<S, T, V, TAccess>? _forThisThread;

    private Product<T> _product;
    private Blocking _blocking;
    private int _panels;
    private int _rowUnits;
    private bool _byPanels;
    private T[][] _packs = [];

    /// <summary>How many parts the product is cut into.</summary>
    public int Parts { get; private set; }

    /// <summary>This thread's instance, set up for <paramref name="product"/> cut for <paramref name="workers"/> threads.</summary>
    public static ProductParts<S, T, V, TAccess> ForThisThread(in Product<T> product, Blocking blocking, int workers)
    {
        ProductParts<S, T, V, TAccess> parts = _forThisThread ??= new ProductParts<S, T, V, TAccess>();
        parts._product = product;
        parts._blocking = blocking;
        parts._panels = BlockedProduct.Panels(product.Columns, S.Lanes);
        parts._byPanels = parts._panels >= workers;
        parts._rowUnits = (product.Rows + blocking.TileRows - 1) / blocking.TileRows;
        parts.Parts = Math.Min(workers, parts._byPanels ? parts._panels : parts._rowUnits);
        int packLength = blocking.PackLength(product.Rows, product.Depth, S.Lanes);
        if (parts._packs.Length < parts.Parts)
        {
            Array.Resize(ref parts._packs, parts.Parts);
        }

        for (int i = 0; i < parts.Parts; i++)
        {
            if (parts._packs[i] is not T[] pack || pack.Length < packLength)
            {
                // In the pinned heap: a buffer that never moves keeps the 64-byte alignment BlockedProduct gives it.
                parts._packs[i] = GC.AllocateArray<T>(packLength, pinned: true);
            }
        }

        return parts;
    }

    public void Run(int part)
    {
        T[] pack = _packs[part];
        int parts = Parts;
        if (_byPanels)
        {
            BlockedProduct.Run<S, T, V, TAccess>(_product, _blocking, _panels * part / parts, _panels * (part + 1) / parts, 0, _product.Rows, edgeColumns: part == parts - 1, pack);
        }
        else
        {
            int first = Math.Min(_product.Rows, _rowUnits * part / parts * _blocking.TileRows);
            int end = Math.Min(_product.Rows, _rowUnits * (part + 1) / parts * _blocking.TileRows);
            BlockedProduct.Run<S, T, V, TAccess>(_product, _blocking, 0, _panels, first, end, edgeColumns: true, pack);
        }
    }
}
