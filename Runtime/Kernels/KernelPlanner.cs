using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;
using System.Threading;

namespace AeGen.Kernels;

/// <summary>
/// Chooses how each kind of product of a dense model is cut up on this machine by timing the candidates on a slice of
/// the model's own products, once per shape and process, the way FFTW's planner does; remembers the choices, which can
/// be saved as wisdom and read back so that a server does not measure again. Since every blocking gives the same bits
/// (<see cref="RegisterTile"/>), the choice changes speed only.
/// </summary>
internal static unsafe class KernelPlanner
{
    /// <summary>An environment variable that forces one blocking (such as <c>8x2-k256-packed</c>) for every product of every model.</summary>
    public const string ForceVariable = "AEGEN_KERNEL";

    /// <summary>An environment variable naming a wisdom file, read before the first plan is measured.</summary>
    public const string WisdomVariable = "AEGEN_WISDOM";


    /// <summary>
    /// Panels of columns in a timed slice. The slice keeps the product's whole depth and B's real row stride: whether
    /// packing pays depends on how many pages a panel of B spans, which a shallower slice would hide.
    /// </summary>
    private const int SlicePanels = 2;

    private const string WisdomHeader = "# AeGen kernel wisdom: CPU | precision, shape and vector bits | a blocking per kind of product";

    private static readonly ConcurrentDictionary<PlanKey, KernelPlan> Plans = new();
    private static readonly ConcurrentDictionary<PlanKey, double> PlanningMilliseconds = new();
    private static readonly object WisdomFileLock = new();
    private static bool s_wisdomFileRead;
    private static int s_generation;

    /// <summary>Changes whenever a plan is replaced or forgotten, so that a model's cached plan is looked up again.</summary>
    public static int Generation => Volatile.Read(ref s_generation);

    /// <summary>The blocking <see cref="ForceVariable"/> forces, or null (settable for tests).</summary>
    public static Blocking? Forced { get; internal set; } = ReadForced(Environment.GetEnvironmentVariable(ForceVariable));

    /// <summary>The machine, as wisdom names it: the processor's brand string where x86 has one.</summary>
    public static string Machine { get; } = CpuInfo.Name;

    /// <summary>The plan for this shape in this process: measured on first use unless forced or known from wisdom.</summary>
    public static KernelPlan PlanFor<T>(ParameterLayout layout, ref T parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        PlanKey key = PlanKey.Of<T>(layout);
        if (Plans.TryGetValue(key, out KernelPlan? known))
        {
            return known;
        }

        if (Forced is Blocking forced)
        {
            return Plans.GetOrAdd(key, KernelPlan.Uniform(forced));
        }

        ReadWisdomFileOnce();
        if (Plans.TryGetValue(key, out known))
        {
            return known;
        }

        long start = Stopwatch.GetTimestamp();
        KernelPlan measured;
        fixed (T* p = &parameters)
        {
            measured = Vector512.IsHardwareAccelerated ? Measure<Simd512<T>, T, Vector512<T>>(layout, p)
                : Vector256.IsHardwareAccelerated ? Measure<Simd256<T>, T, Vector256<T>>(layout, p)
                : Measure<Simd128<T>, T, Vector128<T>>(layout, p);
        }

        PlanningMilliseconds[key] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return Plans.GetOrAdd(key, measured);
    }

    /// <summary>How long measuring this shape's plan took in this process, or null if it was forced, read or not made yet.</summary>
    public static double? MeasuredIn<T>(ParameterLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        PlanningMilliseconds.TryGetValue(PlanKey.Of<T>(layout), out double milliseconds) ? milliseconds : null;

    /// <summary>The plan this process holds for the shape, or null.</summary>
    public static KernelPlan? Known<T>(ParameterLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Plans.TryGetValue(PlanKey.Of<T>(layout), out KernelPlan? plan) ? plan : null;

    /// <summary>Every plan of this process as wisdom text, one line each.</summary>
    public static string ExportWisdom()
    {
        var text = new StringBuilder(WisdomHeader).Append('\n');
        var lines = new List<string>();
        foreach (KeyValuePair<PlanKey, KernelPlan> entry in Plans)
        {
            lines.Add($"{Machine} | {entry.Key} | {entry.Value}");
        }

        lines.Sort(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Takes the plans in <paramref name="wisdom"/> that were made on this machine's processor and vector width; plans
    /// of other machines are skipped. Returns how many were taken. Nothing is taken unless the whole text is valid.
    /// </summary>
    /// <exception cref="FormatException">A line is not a plan; the message names the line.</exception>
    public static int ImportWisdom(string wisdom)
    {
        var taken = new List<(PlanKey Key, KernelPlan Plan)>();
        string[] lines = wisdom.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] fields = line.Split(" | ");
            if (fields.Length != 3)
            {
                throw new FormatException($"Wisdom line {i + 1} is not 'CPU | precision, shape and vector bits | blockings': '{line}'.");
            }

            PlanKey key;
            KernelPlan plan;
            try
            {
                key = PlanKey.Parse(fields[1]);
                plan = KernelPlan.Parse(fields[2]);
            }
            catch (FormatException e)
            {
                throw new FormatException($"Wisdom line {i + 1}: {e.Message}", e);
            }

            if (fields[0] == Machine && key.Bits == PlanKey.VectorBits)
            {
                taken.Add((key, plan));
            }
        }

        foreach ((PlanKey key, KernelPlan plan) in taken)
        {
            Plans[key] = plan;
        }

        Interlocked.Increment(ref s_generation);
        return taken.Count;
    }

    /// <summary>Forgets every plan (tests).</summary>
    internal static void Reset()
    {
        Plans.Clear();
        PlanningMilliseconds.Clear();
        Interlocked.Increment(ref s_generation);
    }

    /// <summary>Makes <paramref name="plan"/> this shape's plan (tests run every blocking this way).</summary>
    internal static void Use<T>(ParameterLayout layout, KernelPlan plan)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Plans[PlanKey.Of<T>(layout)] = plan;
        Interlocked.Increment(ref s_generation);
    }

    private static void ReadWisdomFileOnce()
    {
        lock (WisdomFileLock)
        {
            if (s_wisdomFileRead)
            {
                return;
            }

            s_wisdomFileRead = true;
            string? path = Environment.GetEnvironmentVariable(WisdomVariable);
            if (!string.IsNullOrEmpty(path) && File.Exists(path))
            {
                try
                {
                    ImportWisdom(File.ReadAllText(path));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"The wisdom file '{path}' named by {WisdomVariable} is not valid: {e.Message}", e);
                }
            }
        }
    }

    /// <summary>The blocking a value of <see cref="ForceVariable"/> names, or null for none.</summary>
    /// <exception cref="FormatException">It names no blocking; the message says what one looks like.</exception>
    internal static Blocking? ReadForced(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return Blocking.Parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{ForceVariable} = '{text}' is not a kernel blocking: {e.Message}", e);
        }
    }

    /// <summary>Times the candidates for every kind of product on slices of this model's products.</summary>
    private static KernelPlan Measure<S, T, V>(ParameterLayout layout, T* p)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
    {
        // Slices have a full chunk of rows, as the products do: packing B is spread over as many row tiles, and a tile
        // count that leaves a short last tile pays for it here as it does there. The weight gradients are as deep.
        int rows = DenseNetwork<S, T, V>.ChunkRows;
        int n = layout.Inputs, k = layout.Hidden, wide = Math.Max(n, k);
        T[] a = new T[rows * wide], b = new T[rows * wide], c = new T[rows * wide], bias = new T[wide];
        T[] pack = new T[DenseNetwork<S, T, V>.PackLength(layout)];
        // Written before any timing, so that no run pays for the first touch of a page.
        Array.Fill(a, T.CreateTruncating(0.25));
        Array.Fill(b, T.CreateTruncating(0.5));
        Array.Fill(c, T.Zero);
        Array.Fill(pack, T.Zero);
        var blockings = new Blocking[KernelPlan.KindCount];
        fixed (T* pa = a, pb = b, pc = c, pbias = bias, ppack = pack)
        {
            var slice = new Slice<T>(pa, pb, pc, pbias, ppack, pack.Length);
            blockings[(int)ProductKind.Encoder] = Search<S, T, V, ByRows>(slice.Pack, slice.Layer(rows, n, k, p + layout.W1, Finish.Sigmoid));
            blockings[(int)ProductKind.Decoder] = Search<S, T, V, ByRows>(slice.Pack, slice.Layer(rows, k, n, p + layout.W2, Finish.Sigmoid));
            blockings[(int)ProductKind.Output] = Search<S, T, V, ByRows>(slice.Pack, slice.Layer(rows, n, n, p + layout.W3, Finish.Store));
            blockings[(int)ProductKind.EncoderGradient] = Search<S, T, V, ByColumns>(slice.Pack, slice.Gradient(Math.Min(n, rows), n, rows, k));
            blockings[(int)ProductKind.DecoderGradient] = Search<S, T, V, ByColumns>(slice.Pack, slice.Gradient(Math.Min(k, rows), k, rows, n));
            blockings[(int)ProductKind.OutputGradient] = Search<S, T, V, ByColumns>(slice.Pack, slice.Gradient(Math.Min(n, rows), n, rows, n));
        }

        return new KernelPlan(blockings);
    }

    /// <summary>
    /// Every tile's rows with and without packing B and A over the whole depth, then a depth block for the fastest, kept only
    /// if it is faster still. Tile rows are tried among those whose accumulators fit the registers: 8 and 12
    /// with 32 vector registers (AVX-512, ARM64), 4 and 6 with 16 (AVX2, SSE), where 16 accumulators would spill.
    /// </summary>
    private static Blocking Search<S, T, V, TAccess>(Span<T> pack, in Product<T> product)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
        where TAccess : IAccess
    {
        int panels = BlockedProduct.Panels(product.Columns, S.Lanes);
        int[] tileRows = VectorRegisters == 32 ? [8, 12] : [4, 6];
        var best = new Blocking(tileRows[0], 0, false);
        if (panels == 0)
        {
            // Narrower than one vector: every column is done one at a time and the blocking does not matter.
            return best;
        }

        // Tile rows and packing together (the best tile unpacked need not be the best packed: at 2048×256 twelve rows
        // won unpacked and eight packed), then a depth block for the best of them. A transposed B is packed whatever
        // the blocking says, so it is timed once unpacked and once with A's tiles copied. Elsewhere A's tiles are copied
        // only where B's panels are: on the Xeon, copying A alone was within the noise of copying both in every product
        // of 784×64 and 2048×256. That keeps the candidates to six per product, four with B transposed.
        var candidates = new List<Blocking>(6);
        foreach (int rows in tileRows)
        {
            foreach ((bool packB, bool packA) in (ReadOnlySpan<(bool, bool)>)[(false, false), (true, false), (true, true)])
            {
                Blocking candidate = new(rows, 0, packB && !product.BTransposed, packA);
                if (!candidates.Contains(candidate))
                {
                    candidates.Add(candidate);
                }
            }
        }

        var timer = new SliceTimer<S, T, V, TAccess>(product, panels, pack);
        double[] times = timer.Race(candidates);
        best = candidates[Array.IndexOf(times, times.Min())];
        if (product.Depth > DepthBlockChoice)
        {
            // The depth block races the winner afresh rather than the winner's time: both then share the same moments.
            double[] final = timer.Race([best, best with { DepthBlock = DepthBlockChoice }]);
            if (final[1] < final[0])
            {
                best = best with { DepthBlock = DepthBlockChoice };
            }
        }

        return best;
    }

    /// <summary>The depth block tried: a panel of two 512-bit vectors by 256 rows is 32 KB, an L1 cache's size.</summary>
    private const int DepthBlockChoice = 256;

    /// <summary>Vector registers the JIT allocates from: 32 with AVX-512 (EVEX encoding) or on ARM64, else 16.</summary>
    private static int VectorRegisters =>
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported ? 32 : 16;

    /// <summary>
    /// Times blockings on a few panels of the product, each run taking the next panels, so that B comes from where it
    /// would in the whole product (a further cache, through a cold TLB) rather than from the L2 cache that the previous
    /// run filled.
    /// </summary>
    private ref struct SliceTimer<S, T, V, TAccess>(in Product<T> product, int panels, Span<T> pack)
        where S : ISimd<T, V>
        where T : unmanaged, IFloatingPointIeee754<T>
        where V : struct
        where TAccess : IAccess
    {
        private readonly Product<T> _product = product;
        private readonly Span<T> _pack = pack;
        private readonly int _panels = panels;
        private readonly int _width = Math.Min(SlicePanels, panels);
        private readonly int _starts = panels - Math.Min(SlicePanels, panels) + 1;
        private int _next;

        /// <summary>Ticks of a run beyond which a race has two rounds rather than three (0.4 ms).</summary>
        private static readonly long LongRun = Stopwatch.Frequency * 4 / 10_000;

        /// <summary>A blocking this many times slower than the fastest after the first round is not run again.</summary>
        private const double FirstCut = 1.5;

        /// <summary>A blocking this many times slower than the fastest after the second round is not run again.</summary>
        private const double LaterCut = 1.15;

        /// <summary>
        /// The best time of each blocking over rounds in which the blockings run in turns. Taking turns, they share
        /// whatever the machine is doing meanwhile: a virtual machine's speed can drift by a third within seconds, and
        /// timing one blocking after the other would pick the one that ran in the fast moment. Every blocking first runs
        /// once on a few rows and little depth, so that compiling it (on first use) is not timed; then all are timed
        /// once, and only those near the fastest run again: three rounds, or two where even the fastest run is long.
        /// </summary>
        public double[] Race(IReadOnlyList<Blocking> blockings)
        {
            var best = new double[blockings.Count];
            for (int i = 0; i < blockings.Count; i++)
            {
                Compile(blockings[i]);
            }

            for (int i = 0; i < blockings.Count; i++)
            {
                best[i] = Run(blockings[i]);
            }

            // A is copied once for all of a product's panels, but the slice copies it for a few: the share of the copy
            // that the other panels would carry is taken off (a run with no panels does only the copy). It is timed
            // after the first round, when A is where the product's earlier runs left it, as in the whole product.
            var credit = new double[blockings.Count];
            for (int i = 0; i < blockings.Count; i++)
            {
                if (blockings[i].PackA && _width < _panels)
                {
                    credit[i] = Copy(blockings[i]) * (1.0 - ((double)_width / _panels));
                    best[i] -= credit[i];
                }
            }

            int rounds = best.Min() > LongRun ? 2 : 3;
            for (int round = 1; round < rounds; round++)
            {
                double fastest = best.Min();
                double cut = round == 1 ? FirstCut : LaterCut;
                for (int i = 0; i < blockings.Count; i++)
                {
                    if (best[i] <= fastest * cut)
                    {
                        best[i] = Math.Min(best[i], Run(blockings[i]) - credit[i]);
                    }
                }
            }

            return best;
        }

        /// <summary>Runs the blocking's code on one tile of rows, one panel and a shallow depth, which compiles it on first use.</summary>
        private readonly void Compile(Blocking blocking)
        {
            Product<T> small = _product with
            {
                Rows = Math.Min(_product.Rows, blocking.TileRows),
                Depth = Math.Min(_product.Depth, 8),
            };
            BlockedProduct.Run<S, T, V, TAccess>(small, blocking, 0, 1, 0, small.Rows, edgeColumns: false, _pack);
        }

        private long Run(Blocking blocking)
        {
            int first = _next;
            _next = (_next + _width) % _starts;
            long start = Stopwatch.GetTimestamp();
            BlockedProduct.Run<S, T, V, TAccess>(_product, blocking, first, first + _width, 0, _product.Rows, edgeColumns: false, _pack);
            return Stopwatch.GetTimestamp() - start;
        }

        private readonly long Copy(Blocking blocking)
        {
            long start = Stopwatch.GetTimestamp();
            BlockedProduct.Run<S, T, V, TAccess>(_product, blocking, 0, 0, 0, _product.Rows, edgeColumns: false, _pack);
            return Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>Scratch operands for timed slices; B of a layer is the model's own weights.</summary>
    private readonly struct Slice<T>(T* a, T* b, T* c, T* bias, T* pack, int packLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Span<T> Pack => new(pack, packLength);

        public Product<T> Layer(int rows, int depth, int columns, T* weights, Finish finish) => new()
        {
            A = a, AStride = (nuint)depth, B = weights, BStride = (nuint)columns, C = c, CStride = (nuint)columns, Bias = bias, Gate = c,
            Rows = rows, Columns = columns, Depth = depth, Start = Start.Bias, Finish = finish,
        };

        public Product<T> Gradient(int rows, int aWidth, int depth, int columns) => new()
        {
            A = a, AStride = (nuint)aWidth, B = b, BStride = (nuint)columns, C = c, CStride = (nuint)columns, Bias = bias, Gate = c,
            Rows = rows, Columns = columns, Depth = depth, Start = Start.Accumulate, Finish = Finish.Store,
        };
    }

    /// <summary>A plan's key: precision, shape and the vector width its kernels run at.</summary>
    private readonly record struct PlanKey(string Precision, int Inputs, int Hidden, int Bits)
    {
        public static int VectorBits => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

        public static PlanKey Of<T>(ParameterLayout layout) =>
            new(typeof(T) == typeof(float) ? "float" : "double", layout.Inputs, layout.Hidden, VectorBits);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Precision} {Inputs}x{Hidden} {Bits}");

        public static PlanKey Parse(string text)
        {
            string[] parts = text.Split(' ');
            string[] shape = parts.Length == 3 ? parts[1].Split('x') : [];
            if (parts.Length != 3 || parts[0] is not ("float" or "double") || shape.Length != 2
                || !int.TryParse(shape[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                || !int.TryParse(shape[1], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int bits) || bits is not (128 or 256 or 512))
            {
                throw new FormatException($"'{text}' is not 'float' or 'double', a shape such as 784x64, and 128, 256 or 512 (vector bits).");
            }

            return new PlanKey(parts[0], n, k, bits);
        }
    }
}
