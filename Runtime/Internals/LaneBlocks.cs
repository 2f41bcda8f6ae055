using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AeGen.Internals;

/// <summary>A number of units, 1 to <see cref="LaneBlocks{T, TUnits}.Most"/>, as a type.</summary>
internal interface IUnitCount
{
    static abstract int Count { get; }
}

/// <summary>Where a block stands in a sum over a matrix's columns that runs through several blocks.</summary>
internal interface IBlockStage
{
    /// <summary>The block starts the sum (it is the first).</summary>
    static abstract bool Begins { get; }

    /// <summary>The block finishes the sum (it is the last).</summary>
    static abstract bool Ends { get; }
}

// The counts and stages, a set of one-line types, live with their use.
internal readonly struct Units1 : IUnitCount { public static int Count => 1; }

internal readonly struct Units2 : IUnitCount { public static int Count => 2; }

internal readonly struct Units3 : IUnitCount { public static int Count => 3; }

internal readonly struct Units4 : IUnitCount { public static int Count => 4; }

internal readonly struct Units5 : IUnitCount { public static int Count => 5; }

internal readonly struct Units6 : IUnitCount { public static int Count => 6; }

internal readonly struct Units7 : IUnitCount { public static int Count => 7; }

internal readonly struct Units8 : IUnitCount { public static int Count => 8; }

/// <summary>The only block: it begins and ends the sum.</summary>
internal readonly struct OnlyBlock : IBlockStage { public static bool Begins => true; public static bool Ends => true; }

internal readonly struct FirstBlock : IBlockStage { public static bool Begins => true; public static bool Ends => false; }

internal readonly struct MiddleBlock : IBlockStage { public static bool Begins => false; public static bool Ends => false; }

internal readonly struct LastBlock : IBlockStage { public static bool Begins => false; public static bool Ends => true; }

/// <summary>
/// One block of a lane kernel's layer: <typeparamref name="TUnits"/> units (at most <see cref="Most"/>), whose sums
/// stay in registers while a loop runs over the weight matrix's rows. Compiled once for each count (and stage), so
/// the number of sums is a constant: the JIT gives each its register and drops the rest. Each is a method of its own,
/// called once per block for a chunk of groups of rows, because the JIT's inlining budget grows with the size of the
/// method it inlines into: inlined into a small one, a block's sigmoids would be called instead. They are compiled
/// optimized at once (<see cref="MethodImplOptions.AggressiveOptimization"/>), as the kernels that called them are
/// (a method with <c>stackalloc</c> is): through tiering, a model's first calls ran unoptimized blocks for a long
/// while (BENCHMARKS.md).
/// </summary>
/// <remarks>
/// W is row-major with <c>stride</c> columns; the block's first weight, W[0, u], is at <c>weights</c> in the
/// parameters, so W[i, u + j] is <c>stride</c>·i + j after it. Vectors hold a unit of a group's rows, a row per lane.
/// </remarks>
internal static class LaneBlocks<T, TUnits>
    where T : unmanaged
    where TUnits : struct, IUnitCount
{
    /// <summary>The most units a block has: eight sums, the input and a broadcast weight take 10 of AVX2's 16 registers.</summary>
    public const int Most = 8;

    private static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => TUnits.Count; }

    /// <summary>
    /// output_j = b_j + Σ_i input_i·W[i, u + j] for the block's units j, through σ if <paramref name="sigmoid"/>; b_j at
    /// <paramref name="bias"/> + j, output_j at <paramref name="output"/> + j; for each of <paramref name="groups"/>
    /// groups of rows, whose inputs lie <paramref name="rows"/> vectors apart and outputs <paramref name="stride"/>; and
    /// for <paramref name="blocks"/> such blocks side by side, one call for a layer's full blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Layer(ref T p, int weights, int bias, int rows, int stride, ref Vector256<T> input, ref Vector256<T> output, int groups, int blocks, bool sigmoid)
    {
        for (int block = 0; block < blocks; block++, weights += Most, bias += Most, output = ref Unsafe.Add(ref output, Most))
        {
            LayerBlock(ref p, weights, bias, rows, stride, ref input, ref output, groups, sigmoid);
        }
    }

    /// <summary>One block of <see cref="Layer"/>, for every group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LayerBlock(ref T p, int weights, int bias, int rows, int stride, ref Vector256<T> input, ref Vector256<T> output, int groups, bool sigmoid)
    {
        ref Vector256<T> x = ref input, y = ref output;
        for (int group = 0; group < groups; group++, x = ref Unsafe.Add(ref x, rows), y = ref Unsafe.Add(ref y, stride))
        {
            // A unit past the count is never read nor written; its sum stays zero and the JIT drops it.
            Vector256<T> a0 = Broadcast(ref p, bias);
            Vector256<T> a1 = Count > 1 ? Broadcast(ref p, bias + 1) : default;
            Vector256<T> a2 = Count > 2 ? Broadcast(ref p, bias + 2) : default;
            Vector256<T> a3 = Count > 3 ? Broadcast(ref p, bias + 3) : default;
            Vector256<T> a4 = Count > 4 ? Broadcast(ref p, bias + 4) : default;
            Vector256<T> a5 = Count > 5 ? Broadcast(ref p, bias + 5) : default;
            Vector256<T> a6 = Count > 6 ? Broadcast(ref p, bias + 6) : default;
            Vector256<T> a7 = Count > 7 ? Broadcast(ref p, bias + 7) : default;
            ref T w = ref Unsafe.Add(ref p, weights);
            for (int i = 0; i < rows; i++, w = ref Unsafe.Add(ref w, stride))
            {
                Vector256<T> v = Unsafe.Add(ref x, i);
                a0 = Fma(v, Broadcast(ref w, 0), a0);
                if (Count > 1) { a1 = Fma(v, Broadcast(ref w, 1), a1); }
                if (Count > 2) { a2 = Fma(v, Broadcast(ref w, 2), a2); }
                if (Count > 3) { a3 = Fma(v, Broadcast(ref w, 3), a3); }
                if (Count > 4) { a4 = Fma(v, Broadcast(ref w, 4), a4); }
                if (Count > 5) { a5 = Fma(v, Broadcast(ref w, 5), a5); }
                if (Count > 6) { a6 = Fma(v, Broadcast(ref w, 6), a6); }
                if (Count > 7) { a7 = Fma(v, Broadcast(ref w, 7), a7); }
            }

            y = a0;
            if (Count > 1) { Unsafe.Add(ref y, 1) = a1; }
            if (Count > 2) { Unsafe.Add(ref y, 2) = a2; }
            if (Count > 3) { Unsafe.Add(ref y, 3) = a3; }
            if (Count > 4) { Unsafe.Add(ref y, 4) = a4; }
            if (Count > 5) { Unsafe.Add(ref y, 5) = a5; }
            if (Count > 6) { Unsafe.Add(ref y, 6) = a6; }
            if (Count > 7) { Unsafe.Add(ref y, 7) = a7; }
            if (sigmoid)
            {
                // The sigmoids from the stored sums, one call site in a loop: eight inlined sites kept eight sums live
                // through them, which with AVX2's 16 registers spilled (BENCHMARKS.md), and
                // in double, where each site tries to inline the runtime's exponential and fails, they spent the
                // method's inlining budget and left even Fma and the unit count as calls.
                for (int j = 0; j < Count; j++)
                {
                    Unsafe.Add(ref y, j) = Sigmoid(Unsafe.Add(ref y, j));
                }
            }
        }
    }

    /// <summary>
    /// gW[i, u + j] += input_i·errors_j for the block's units j and every row i: gW[0, u] at <paramref name="weights"/>
    /// in the accumulators <paramref name="g"/> (laid out as the parameters), errors_j at <paramref name="errors"/> + j;
    /// for each of <paramref name="groups"/> groups, whose inputs lie <paramref name="rows"/> vectors apart and errors
    /// <paramref name="stride"/>; and for <paramref name="blocks"/> such blocks side by side.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Gradient(ref Vector256<T> g, int weights, int rows, int stride, ref Vector256<T> input, ref Vector256<T> errors, int groups, int blocks)
    {
        for (int block = 0; block < blocks; block++, weights += Most, errors = ref Unsafe.Add(ref errors, Most))
        {
            Back<OnlyBlock>(ref Unsafe.NullRef<T>(), ref g, weights, 0, rows, stride, ref input, ref errors, ref Unsafe.NullRef<Vector256<T>>(), groups, below: false);
        }
    }

    /// <summary>
    /// <see cref="Gradient"/>, and the block's share of the errors of the sigmoid layer below (<paramref name="input"/>):
    /// dz_i = input_i(1 − input_i)·Σ_j errors_j·W[i, j] with db_i += dz_i (db at <paramref name="bias"/> in g). The sum
    /// over j runs through the blocks in dz, as <typeparamref name="TStage"/> says this block begins, adds to or ends it.
    /// dz lies as the inputs do, <paramref name="rows"/> vectors a group.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void GradientBelow<TStage>(ref T p, ref Vector256<T> g, int weights, int bias, int rows, int stride, ref Vector256<T> input, ref Vector256<T> errors, ref Vector256<T> dz, int groups)
        where TStage : struct, IBlockStage =>
        Back<TStage>(ref p, ref g, weights, bias, rows, stride, ref input, ref errors, ref dz, groups, below: true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Back<TStage>(
        ref T p, ref Vector256<T> g, int weights, int bias, int rows, int stride,
        ref Vector256<T> input, ref Vector256<T> errors, ref Vector256<T> dz, int groups, bool below)
        where TStage : struct, IBlockStage
    {
        ref Vector256<T> x = ref input, e = ref errors, z = ref dz;
        for (int group = 0; group < groups; group++, x = ref Unsafe.Add(ref x, rows), e = ref Unsafe.Add(ref e, stride), z = ref Unsafe.Add(ref z, rows))
        {
            Vector256<T> d0 = e;
            Vector256<T> d1 = Count > 1 ? Unsafe.Add(ref e, 1) : default;
            Vector256<T> d2 = Count > 2 ? Unsafe.Add(ref e, 2) : default;
            Vector256<T> d3 = Count > 3 ? Unsafe.Add(ref e, 3) : default;
            Vector256<T> d4 = Count > 4 ? Unsafe.Add(ref e, 4) : default;
            Vector256<T> d5 = Count > 5 ? Unsafe.Add(ref e, 5) : default;
            Vector256<T> d6 = Count > 6 ? Unsafe.Add(ref e, 6) : default;
            Vector256<T> d7 = Count > 7 ? Unsafe.Add(ref e, 7) : default;
            ref Vector256<T> gw = ref Unsafe.Add(ref g, weights);
            ref T w = ref below ? ref Unsafe.Add(ref p, weights) : ref p;
            for (int i = 0; i < rows; i++, gw = ref Unsafe.Add(ref gw, stride))
            {
                Vector256<T> h = Unsafe.Add(ref x, i);
                gw = Fma(h, d0, gw);
                if (Count > 1) { Unsafe.Add(ref gw, 1) = Fma(h, d1, Unsafe.Add(ref gw, 1)); }
                if (Count > 2) { Unsafe.Add(ref gw, 2) = Fma(h, d2, Unsafe.Add(ref gw, 2)); }
                if (Count > 3) { Unsafe.Add(ref gw, 3) = Fma(h, d3, Unsafe.Add(ref gw, 3)); }
                if (Count > 4) { Unsafe.Add(ref gw, 4) = Fma(h, d4, Unsafe.Add(ref gw, 4)); }
                if (Count > 5) { Unsafe.Add(ref gw, 5) = Fma(h, d5, Unsafe.Add(ref gw, 5)); }
                if (Count > 6) { Unsafe.Add(ref gw, 6) = Fma(h, d6, Unsafe.Add(ref gw, 6)); }
                if (Count > 7) { Unsafe.Add(ref gw, 7) = Fma(h, d7, Unsafe.Add(ref gw, 7)); }
                if (below)
                {
                    Vector256<T> back = TStage.Begins ? d0 * Broadcast(ref w, 0) : Fma(d0, Broadcast(ref w, 0), Unsafe.Add(ref z, i));
                    if (Count > 1) { back = Fma(d1, Broadcast(ref w, 1), back); }
                    if (Count > 2) { back = Fma(d2, Broadcast(ref w, 2), back); }
                    if (Count > 3) { back = Fma(d3, Broadcast(ref w, 3), back); }
                    if (Count > 4) { back = Fma(d4, Broadcast(ref w, 4), back); }
                    if (Count > 5) { back = Fma(d5, Broadcast(ref w, 5), back); }
                    if (Count > 6) { back = Fma(d6, Broadcast(ref w, 6), back); }
                    if (Count > 7) { back = Fma(d7, Broadcast(ref w, 7), back); }
                    if (TStage.Ends)
                    {
                        Vector256<T> dzi = Activation.SigmoidGradient(h, back);
                        Unsafe.Add(ref z, i) = dzi;
                        Unsafe.Add(ref g, bias + i) += dzi;
                    }
                    else
                    {
                        Unsafe.Add(ref z, i) = back;
                    }

                    w = ref Unsafe.Add(ref w, stride);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Broadcast(ref T first, int j) => Vector256.Create(Unsafe.Add(ref first, j));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c) =>
        typeof(T) == typeof(float) ? Vector256.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : Vector256.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Sigmoid(Vector256<T> z) =>
        typeof(T) == typeof(float) ? Activation.Sigmoid(z.AsSingle()).As<float, T>()
        : Activation.Sigmoid(z.AsDouble()).As<double, T>();
}
