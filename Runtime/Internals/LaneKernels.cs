using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AeGen.Internals;

/// <summary>
/// The kernels of small models with a row per lane: a group of 8 rows (4 in double) goes through the layers together,
/// a vector per unit. Written once; the JIT compiles them for each model's <typeparamref name="TShape"/>, so every
/// size and offset below is a constant in the code it runs, as in code written out for the shape. A group's rows are
/// gathered into lanes on the way in and scattered back on the way out. In the last group, lanes past the last row
/// repeat it; their residuals are masked out, so they add nothing to the cost or the gradient. Models whose rows are
/// so short that four fit in a 512-bit vector have generated kernels for that width too, and use these elsewhere.
/// </summary>
/// <remarks>
/// The four inference passes share one kernel, generic over the pass (<see cref="IKernelPass"/>). The layers' stack
/// space is not zeroed (<see cref="SkipLocalsInitAttribute"/>): every vector is written before it is read, and
/// zeroing a chunk's layers on every call was a measurable part of a Forward (BENCHMARKS.md).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[SkipLocalsInit]
public static class LaneKernels<T, TShape>
    where T : unmanaged
    where TShape : struct, ILaneShape
{
    private static int N { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => TShape.Inputs; }

    private static int K { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => TShape.Hidden; }

    /// <summary>Where each tensor starts in the parameters: the model's own layout, constants once inlined.</summary>
    private static ParameterLayout Layout { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(N, K); }

    private const int Most = LaneBlocks<T, Units8>.Most;

    /// <summary>
    /// The groups of rows that go through the layers together: each layer's blocks are called once for all of them,
    /// which spreads a call's cost over 64 rows (32 in double) while their layers stay in the first-level cache.
    /// </summary>
    private const int Chunk = 8;

    private static int Group { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector256<T>.Count; }

    /// <summary>Forward, Encode, Decode or Cost (which writes S to <paramref name="output"/>) for m rows, as TPass says.</summary>
    /// <param name="p">The parameters' first element.</param>
    /// <param name="input">The first row of the samples (of the codes, for Decode).</param>
    /// <param name="output">The first row of the results.</param>
    /// <param name="m">The rows.</param>
    public static void Run<TPass>(ref T p, ref T input, ref T output, int m)
        where TPass : struct, IKernelPass
    {
        // The layers of a chunk of groups, group after group, a vector per unit and a row per lane: X, H1, H2 and X̂.
        // Encode's and Forward's results go back to rows from H1 and X̂.
        Span<Vector256<T>> layers = stackalloc Vector256<T>[Chunk * (N + K + N + N)];
        ref Vector256<T> x = ref MemoryMarshal.GetReference(layers);
        ref Vector256<T> h1 = ref Unsafe.Add(ref x, Chunk * N);
        ref Vector256<T> h2 = ref Unsafe.Add(ref h1, Chunk * K);
        ref Vector256<T> xhat = ref Unsafe.Add(ref h2, Chunk * N);
        bool fromCodes = typeof(TPass) == typeof(DecodePass);
        int width = fromCodes ? K : N;
        ref Vector256<T> first = ref fromCodes ? ref h1 : ref x;
        double sum = 0;
        for (int r = 0; r < m; r += Chunk * Group)
        {
            int groups = Math.Min(Chunk, (m - r + Group - 1) / Group);
            for (int group = 0; group < groups; group++)
            {
                int start = r + (group * Group);
                GatherRows(ref Unsafe.Add(ref first, group * width), ref Unsafe.Add(ref input, start * width), width, Math.Min(Group, m - start));
            }

            if (!fromCodes)
            {
                // H1 = σ(X·W1 + b1)
                Layer(ref p, Layout.W1, Layout.B1, N, K, ref x, ref h1, groups, sigmoid: true);
            }

            if (typeof(TPass) == typeof(EncodePass))
            {
                ScatterRows(ref h1, ref output, r, m, groups, K);
                continue;
            }

            // H2 = σ(H1·W2 + b2), X̂ = H2·W3 + b3
            Layer(ref p, Layout.W2, Layout.B2, K, N, ref h1, ref h2, groups, sigmoid: true);
            Layer(ref p, Layout.W3, Layout.B3, N, N, ref h2, ref xhat, groups, sigmoid: false);
            if (typeof(TPass) != typeof(CostPass))
            {
                ScatterRows(ref xhat, ref output, r, m, groups, N);
                continue;
            }

            for (int group = 0; group < groups; group++)
            {
                // E = X̂ − X
                sum += SquaredError(ref Unsafe.Add(ref xhat, group * N), ref Unsafe.Add(ref x, group * N), Math.Min(Group, m - r - (group * Group)), default, ref Unsafe.NullRef<Vector256<T>>(), gradient: false);
            }
        }

        if (typeof(TPass) == typeof(CostPass))
        {
            output = FromDouble(sum / (2.0 * m));
        }
    }

    /// <summary>
    /// The cost of m rows against their targets, and its gradient in the parameters' layout: each lane accumulates its
    /// rows' share of every parameter's gradient, and the lanes are summed at the end.
    /// </summary>
    public static T Backward(ref T p, ref T input, ref T target, ref T gradient, int m)
    {
        // The gradient's accumulators, a vector per parameter in the parameters' layout: g + W3 + i·n + j holds dW3[i, j]'s.
        Span<Vector256<T>> accumulators = stackalloc Vector256<T>[Layout.Count];
        accumulators.Clear();
        ref Vector256<T> g = ref MemoryMarshal.GetReference(accumulators);
        // The layers of a chunk of groups, group after group: X, the target, H1, H2, X̂ (then dX̂), dZ2 and dZ1.
        Span<Vector256<T>> layers = stackalloc Vector256<T>[Chunk * (N + N + K + N + N + N + K)];
        ref Vector256<T> x = ref MemoryMarshal.GetReference(layers);
        ref Vector256<T> t = ref Unsafe.Add(ref x, Chunk * N);
        ref Vector256<T> h1 = ref Unsafe.Add(ref t, Chunk * N);
        ref Vector256<T> h2 = ref Unsafe.Add(ref h1, Chunk * K);
        ref Vector256<T> d = ref Unsafe.Add(ref h2, Chunk * N);
        ref Vector256<T> dz2 = ref Unsafe.Add(ref d, Chunk * N);
        ref Vector256<T> dz1 = ref Unsafe.Add(ref dz2, Chunk * N);
        Vector256<T> invM = Vector256.Create(Reciprocal(m));
        double sum = 0;
        // The target is read only where it is not the input itself (a denoising Backward).
        bool denoising = !Unsafe.AreSame(ref input, ref target);
        for (int r = 0; r < m; r += Chunk * Group)
        {
            int groups = Math.Min(Chunk, (m - r + Group - 1) / Group);
            for (int group = 0; group < groups; group++)
            {
                int start = r + (group * Group), rows = Math.Min(Group, m - start);
                ref Vector256<T> xg = ref Unsafe.Add(ref x, group * N), tg = ref Unsafe.Add(ref t, group * N);
                GatherRows(ref xg, ref Unsafe.Add(ref input, start * N), N, rows);
                if (denoising)
                {
                    GatherRows(ref tg, ref Unsafe.Add(ref target, start * N), N, rows);
                    continue;
                }

                for (int j = 0; j < N; j++)
                {
                    Unsafe.Add(ref tg, j) = Unsafe.Add(ref xg, j);
                }
            }

            // H1 = σ(X·W1 + b1), H2 = σ(H1·Layout.W2 + b2), X̂ = H2·Layout.W3 + b3
            Layer(ref p, Layout.W1, Layout.B1, N, K, ref x, ref h1, groups, sigmoid: true);
            Layer(ref p, Layout.W2, Layout.B2, K, N, ref h1, ref h2, groups, sigmoid: true);
            Layer(ref p, Layout.W3, Layout.B3, N, N, ref h2, ref d, groups, sigmoid: false);
            for (int group = 0; group < groups; group++)
            {
                // E = X̂ − target, dX̂ = E/m, db3 += colsum(dX̂)
                sum += SquaredError(ref Unsafe.Add(ref d, group * N), ref Unsafe.Add(ref t, group * N), Math.Min(Group, m - r - (group * Group)), invM, ref Unsafe.Add(ref g, Layout.B3), gradient: true);
            }

            // dW3 += H2ᵀ·dX̂; dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ), db2 += colsum(dZ2)
            GradientBelow(ref p, ref g, Layout.W3, Layout.B2, N, N, ref h2, ref d, ref dz2, groups);
            // dW2 += H1ᵀ·dZ2; dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ), db1 += colsum(dZ1)
            GradientBelow(ref p, ref g, Layout.W2, Layout.B1, K, N, ref h1, ref dz2, ref dz1, groups);
            // dW1 += Xᵀ·dZ1
            Gradient(ref g, Layout.W1, N, K, ref x, ref dz1, groups);
        }

        // Each parameter's gradient is the sum of its accumulator's lanes.
        if (typeof(T) == typeof(float))
        {
            Lanes.StoreSums(ref Unsafe.As<Vector256<T>, Vector256<float>>(ref g), ref Unsafe.As<T, float>(ref gradient), Layout.Count);
        }
        else
        {
            Lanes.StoreSums(ref Unsafe.As<Vector256<T>, Vector256<double>>(ref g), ref Unsafe.As<T, double>(ref gradient), Layout.Count);
        }

        return FromDouble(sum / (2.0 * m));
    }

    /// <summary>
    /// Σ E² over a group's <paramref name="rows"/> rows, E = X̂ − target, lanes past them counting as zero; with
    /// <paramref name="gradient"/>, X̂ becomes dX̂ = E/m (E times <paramref name="invM"/>) and <paramref name="db3"/>
    /// accumulates it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SquaredError(ref Vector256<T> xhat, ref Vector256<T> target, int rows, Vector256<T> invM, ref Vector256<T> db3, bool gradient)
    {
        Vector256<T> live = Live(rows), squares = Vector256<T>.Zero;
        for (int j = 0; j < N; j++)
        {
            Vector256<T> e = (Unsafe.Add(ref xhat, j) - Unsafe.Add(ref target, j)) & live;
            squares += e * e;
            if (gradient)
            {
                Unsafe.Add(ref xhat, j) = e * invM;
                Unsafe.Add(ref db3, j) += e * invM;
            }
        }

        return ToDouble(Vector256.Sum(squares));
    }

    /// <summary>A layer's values for the chunk's groups (<paramref name="width"/> vectors each) back to rows, from row <paramref name="r"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterRows(ref Vector256<T> layer, ref T output, int r, int m, int groups, int width)
    {
        for (int group = 0; group < groups; group++)
        {
            int start = r + (group * Group);
            Lanes.Scatter(ref Unsafe.As<Vector256<T>, T>(ref Unsafe.Add(ref layer, group * width)), ref Unsafe.Add(ref output, start * width), Math.Min(Group, m - start), width);
        }
    }

    /// <summary>
    /// output = input·W + b for all <paramref name="units"/> units, through σ if <paramref name="sigmoid"/>: W
    /// (<paramref name="rows"/> × units) at <paramref name="weights"/> in the parameters, b at <paramref name="bias"/>,
    /// in blocks of up to <see cref="LaneBlocks{T, TUnits}.Most"/> units. The switch on the last block's units folds
    /// to one call, the shape's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Layer(ref T p, int weights, int bias, int rows, int units, ref Vector256<T> input, ref Vector256<T> output, int groups, bool sigmoid)
    {
        int full = units / Most * Most;
        if (full > 0)
        {
            LaneBlocks<T, Units8>.Layer(ref p, weights, bias, rows, units, ref input, ref output, groups, full / Most, sigmoid);
        }

        int w = weights + full, b = bias + full;
        ref Vector256<T> rest = ref Unsafe.Add(ref output, full);
        switch (units - full)
        {
            case 1: LaneBlocks<T, Units1>.Layer(ref p, w, b, rows, units, ref input, ref rest, groups, 1, sigmoid); break;
            case 2: LaneBlocks<T, Units2>.Layer(ref p, w, b, rows, units, ref input, ref rest, groups, 1, sigmoid); break;
            case 3: LaneBlocks<T, Units3>.Layer(ref p, w, b, rows, units, ref input, ref rest, groups, 1, sigmoid); break;
            case 4: LaneBlocks<T, Units4>.Layer(ref p, w, b, rows, units, ref input, ref rest, groups, 1, sigmoid); break;
            case 5: LaneBlocks<T, Units5>.Layer(ref p, w, b, rows, units, ref input, ref rest, groups, 1, sigmoid); break;
            case 6: LaneBlocks<T, Units6>.Layer(ref p, w, b, rows, units, ref input, ref rest, groups, 1, sigmoid); break;
            case 7: LaneBlocks<T, Units7>.Layer(ref p, w, b, rows, units, ref input, ref rest, groups, 1, sigmoid); break;
        }
    }

    /// <summary>
    /// gW += inputᵀ·errors for a weight matrix with no layer below it: W (<paramref name="rows"/> ×
    /// <paramref name="units"/>) at <paramref name="weights"/>, its accumulators at the same place in g.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gradient(ref Vector256<T> g, int weights, int rows, int units, ref Vector256<T> input, ref Vector256<T> errors, int groups)
    {
        int full = units / Most * Most;
        if (full > 0)
        {
            LaneBlocks<T, Units8>.Gradient(ref g, weights, rows, units, ref input, ref errors, groups, full / Most);
        }

        int w = weights + full;
        ref Vector256<T> rest = ref Unsafe.Add(ref errors, full);
        switch (units - full)
        {
            case 1: LaneBlocks<T, Units1>.Gradient(ref g, w, rows, units, ref input, ref rest, groups, 1); break;
            case 2: LaneBlocks<T, Units2>.Gradient(ref g, w, rows, units, ref input, ref rest, groups, 1); break;
            case 3: LaneBlocks<T, Units3>.Gradient(ref g, w, rows, units, ref input, ref rest, groups, 1); break;
            case 4: LaneBlocks<T, Units4>.Gradient(ref g, w, rows, units, ref input, ref rest, groups, 1); break;
            case 5: LaneBlocks<T, Units5>.Gradient(ref g, w, rows, units, ref input, ref rest, groups, 1); break;
            case 6: LaneBlocks<T, Units6>.Gradient(ref g, w, rows, units, ref input, ref rest, groups, 1); break;
            case 7: LaneBlocks<T, Units7>.Gradient(ref g, w, rows, units, ref input, ref rest, groups, 1); break;
        }
    }

    /// <summary>
    /// gW += inputᵀ·errors, and the errors of the sigmoid layer below, dz = input∘(1 − input)∘(errors·Wᵀ), with its
    /// bias's gradient (at <paramref name="bias"/> in g). The sum over W's columns runs through the blocks in dz: the
    /// first block begins it, the last ends it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientBelow(ref T p, ref Vector256<T> g, int weights, int bias, int rows, int units, ref Vector256<T> input, ref Vector256<T> errors, ref Vector256<T> dz, int groups)
    {
        int last = (units - 1) / Most * Most;
        if (last == 0)
        {
            Below<OnlyBlock>(ref p, ref g, weights, bias, rows, units, units, ref input, ref errors, ref dz, groups);
            return;
        }

        LaneBlocks<T, Units8>.GradientBelow<FirstBlock>(ref p, ref g, weights, bias, rows, units, ref input, ref errors, ref dz, groups);
        for (int u = Most; u < last; u += Most)
        {
            LaneBlocks<T, Units8>.GradientBelow<MiddleBlock>(ref p, ref g, weights + u, bias, rows, units, ref input, ref Unsafe.Add(ref errors, u), ref dz, groups);
        }

        Below<LastBlock>(ref p, ref g, weights + last, bias, rows, units, units - last, ref input, ref Unsafe.Add(ref errors, last), ref dz, groups);
    }

    /// <summary>The block of <see cref="GradientBelow"/> with <paramref name="count"/> units, 1 to 8, at <paramref name="weights"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Below<TStage>(ref T p, ref Vector256<T> g, int weights, int bias, int rows, int units, int count, ref Vector256<T> input, ref Vector256<T> errors, ref Vector256<T> dz, int groups)
        where TStage : struct, IBlockStage
    {
        switch (count)
        {
            case 1: LaneBlocks<T, Units1>.GradientBelow<TStage>(ref p, ref g, weights, bias, rows, units, ref input, ref errors, ref dz, groups); break;
            case 2: LaneBlocks<T, Units2>.GradientBelow<TStage>(ref p, ref g, weights, bias, rows, units, ref input, ref errors, ref dz, groups); break;
            case 3: LaneBlocks<T, Units3>.GradientBelow<TStage>(ref p, ref g, weights, bias, rows, units, ref input, ref errors, ref dz, groups); break;
            case 4: LaneBlocks<T, Units4>.GradientBelow<TStage>(ref p, ref g, weights, bias, rows, units, ref input, ref errors, ref dz, groups); break;
            case 5: LaneBlocks<T, Units5>.GradientBelow<TStage>(ref p, ref g, weights, bias, rows, units, ref input, ref errors, ref dz, groups); break;
            case 6: LaneBlocks<T, Units6>.GradientBelow<TStage>(ref p, ref g, weights, bias, rows, units, ref input, ref errors, ref dz, groups); break;
            case 7: LaneBlocks<T, Units7>.GradientBelow<TStage>(ref p, ref g, weights, bias, rows, units, ref input, ref errors, ref dz, groups); break;
            default: LaneBlocks<T, Units8>.GradientBelow<TStage>(ref p, ref g, weights, bias, rows, units, ref input, ref errors, ref dz, groups); break;
        }
    }

    /// <summary>
    /// Value i of each of a group's rows, a lane per row, into <paramref name="into"/>[i] for i below
    /// <paramref name="width"/>. A lane past the last of the <paramref name="rows"/> rows reads the last row again, so
    /// every read is in bounds; those lanes are padding, never written back, and masked out of the cost and the gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GatherRows(ref Vector256<T> into, ref T first, int width, int rows)
    {
        int last = rows - 1;
        if (typeof(T) == typeof(float))
        {
            ref float start = ref Unsafe.As<T, float>(ref first);
            ref Vector256<float> vectors = ref Unsafe.As<Vector256<T>, Vector256<float>>(ref into);
            nint o1 = (nint)Math.Min(1, last) * width, o2 = (nint)Math.Min(2, last) * width, o3 = (nint)Math.Min(3, last) * width;
            nint o4 = (nint)Math.Min(4, last) * width, o5 = (nint)Math.Min(5, last) * width, o6 = (nint)Math.Min(6, last) * width;
            nint o7 = (nint)Math.Min(7, last) * width;
            for (int i = 0; i < width; i++)
            {
                Unsafe.Add(ref vectors, i) = Lanes.Gather(ref start, i, o1, o2, o3, o4, o5, o6, o7);
            }
        }
        else
        {
            ref double start = ref Unsafe.As<T, double>(ref first);
            ref Vector256<double> vectors = ref Unsafe.As<Vector256<T>, Vector256<double>>(ref into);
            nint o1 = (nint)Math.Min(1, last) * width, o2 = (nint)Math.Min(2, last) * width, o3 = (nint)Math.Min(3, last) * width;
            for (int i = 0; i < width; i++)
            {
                Unsafe.Add(ref vectors, i) = Lanes.Gather(ref start, i, o1, o2, o3);
            }
        }
    }

    /// <summary>All ones in the lanes of the group's <paramref name="rows"/> rows, zero in the padding past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Live(int rows) => typeof(T) == typeof(float)
        ? Vector256.LessThan(Vector256<float>.Indices, Vector256.Create((float)rows)).As<float, T>()
        : Vector256.LessThan(Vector256<double>.Indices, Vector256.Create((double)rows)).As<double, T>();

    /// <summary>1/m, in T's arithmetic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Reciprocal(int m)
    {
        if (typeof(T) == typeof(float))
        {
            float value = 1f / m;
            return Unsafe.As<float, T>(ref value);
        }

        double wide = 1d / m;
        return Unsafe.As<double, T>(ref wide);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ToDouble(T value) => typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : Unsafe.As<T, double>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromDouble(double value)
    {
        if (typeof(T) == typeof(float))
        {
            float narrow = (float)value;
            return Unsafe.As<float, T>(ref narrow);
        }

        return Unsafe.As<double, T>(ref value);
    }
}
