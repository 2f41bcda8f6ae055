using System;
using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace AeGen.Kernels;

/// <summary>
/// The network of a larger model as matrix products over a chunk of rows at a time, in one vector width
/// (<typeparamref name="S"/>):
/// forward <c>H1 = σ(X·W1 + b1)</c>, <c>H2 = σ(H1·W2 + b2)</c>, <c>X̂ = H2·W3 + b3</c>; backward
/// <c>dX̂ = (X̂ − X)/m</c>, <c>dW3 += H2ᵀ·dX̂</c>, <c>db3 += colsum(dX̂)</c>, <c>dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ)</c>,
/// <c>dW2 += H1ᵀ·dZ2</c>, <c>db2 += colsum(dZ2)</c>, <c>dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ)</c>, <c>dW1 += Xᵀ·dZ1</c>,
/// <c>db1 += colsum(dZ1)</c>. Every gradient element adds its rows in order, chunk after chunk, so the chunk size,
/// the blocking and the thread count never change a bit of it.
/// </summary>
internal static unsafe class DenseNetwork<S, T, V>
    where S : ISimd<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct
{
    /// <summary>
    /// Rows per chunk: every weight panel is read once per chunk, so more rows mean more use of it per read, while
    /// a chunk's activations (four matrices of n values per row in Backward) stay a few megabytes at n = 2048.
    /// </summary>
    public const int ChunkRows = 256;

    /// <summary>X̂ for m rows.</summary>
    public static void Forward(in ParameterLayout layout, KernelPlan plan, Team? team, T* p, T* x, T* xhat, int m)
    {
        int n = layout.Inputs, k = layout.Hidden;
        int chunk = Math.Min(m, ChunkRows);
        T[] scratch = ArrayPool<T>.Shared.Rent(chunk * (n + k) + PackLength(layout));
        fixed (T* s = scratch)
        {
            T* h1 = s, h2 = h1 + (chunk * k), pack = h2 + (chunk * n);
            for (int r = 0; r < m; r += chunk)
            {
                int rows = Math.Min(chunk, m - r);
                Layer(ProductKind.Encoder, team, plan, pack, x + (r * n), n, p + layout.W1, p + layout.B1, h1, rows, k, Finish.Sigmoid);
                Layer(ProductKind.Decoder, team, plan, pack, h1, k, p + layout.W2, p + layout.B2, h2, rows, n, Finish.Sigmoid);
                Layer(ProductKind.Output, team, plan, pack, h2, n, p + layout.W3, p + layout.B3, xhat + (r * n), rows, n, Finish.Store);
            }
        }

        ArrayPool<T>.Shared.Return(scratch);
    }

    /// <summary>H1 for m rows.</summary>
    public static void Encode(in ParameterLayout layout, KernelPlan plan, T* p, T* x, T* code, int m)
    {
        T[] scratch = ArrayPool<T>.Shared.Rent(PackLength(layout) + 1);
        fixed (T* pack = scratch)
        {
            Layer(ProductKind.Encoder, null, plan, pack, x, layout.Inputs, p + layout.W1, p + layout.B1, code, m, layout.Hidden, Finish.Sigmoid);
        }

        ArrayPool<T>.Shared.Return(scratch);
    }

    /// <summary>X̂ for m codes.</summary>
    public static void Decode(in ParameterLayout layout, KernelPlan plan, T* p, T* code, T* xhat, int m)
    {
        int n = layout.Inputs, k = layout.Hidden;
        int chunk = Math.Min(m, ChunkRows);
        T[] scratch = ArrayPool<T>.Shared.Rent(chunk * n + PackLength(layout));
        fixed (T* s = scratch)
        {
            T* h2 = s, pack = h2 + (chunk * n);
            for (int r = 0; r < m; r += chunk)
            {
                int rows = Math.Min(chunk, m - r);
                Layer(ProductKind.Decoder, null, plan, pack, code + (r * k), k, p + layout.W2, p + layout.B2, h2, rows, n, Finish.Sigmoid);
                Layer(ProductKind.Output, null, plan, pack, h2, n, p + layout.W3, p + layout.B3, xhat + (r * n), rows, n, Finish.Store);
            }
        }

        ArrayPool<T>.Shared.Return(scratch);
    }

    /// <summary>S = 1/(2m)·Σ(X − X̂)² over m rows.</summary>
    public static double Cost(in ParameterLayout layout, KernelPlan plan, T* p, T* x, int m)
    {
        int n = layout.Inputs, k = layout.Hidden;
        int chunk = Math.Min(m, ChunkRows);
        T[] scratch = ArrayPool<T>.Shared.Rent(chunk * (k + n + n) + PackLength(layout));
        double sum = 0;
        fixed (T* s = scratch)
        {
            T* h1 = s, h2 = h1 + (chunk * k), d = h2 + (chunk * n), pack = d + (chunk * n);
            for (int r = 0; r < m; r += chunk)
            {
                int rows = Math.Min(chunk, m - r);
                T* xb = x + (r * n);
                ForwardChunk(layout, plan, null, pack, p, xb, h1, h2, d, rows);
                sum += double.CreateTruncating(Elementwise<S, T, V>.Residual(xb, d, rows * n, T.One));
            }
        }

        ArrayPool<T>.Shared.Return(scratch);
        return sum / (2.0 * m);
    }

    /// <summary>Writes dS/dθ for m rows into <paramref name="gradient"/> and returns S, X̂(x) scored against <paramref name="target"/> (x itself but for denoising).</summary>
    public static double Backward(in ParameterLayout layout, KernelPlan plan, Team? team, T* p, T* x, T* target, T* gradient, int m)
    {
        int n = layout.Inputs, k = layout.Hidden;
        int chunk = Math.Min(m, ChunkRows);
        int packLength = PackLength(layout);
        // d holds dX̂ (n wide), later dZ1 (k wide).
        int dWidth = Math.Max(n, k);
        T[] scratch = ArrayPool<T>.Shared.Rent(chunk * (k + n + dWidth + n) + packLength);
        T* gW1 = gradient + layout.W1, gB1 = gradient + layout.B1, gW2 = gradient + layout.W2;
        T* gB2 = gradient + layout.B2, gW3 = gradient + layout.W3, gB3 = gradient + layout.B3;
        // The first chunk's sums start every element of the gradient, so there must be one: the generated Backward refuses zero rows (ShapeGuard.Rows).
        Debug.Assert(m > 0, "Backward needs at least one row.");
        T invM = T.One / T.CreateTruncating(m);
        double sum = 0;
        fixed (T* s = scratch)
        {
            T* h1 = s, h2 = h1 + (chunk * k), d = h2 + (chunk * n), e = d + (chunk * dWidth), pack = e + (chunk * n);
            for (int r = 0; r < m; r += chunk)
            {
                int rows = Math.Min(chunk, m - r);
                T* xb = x + (r * n);
                // The first chunk's sums start the gradient rather than being added to a cleared one: a 2048×256 model's
                // gradient is 19 MB, which would otherwise be written once with zeros and read back.
                bool first = r == 0;
                ForwardChunk(layout, plan, team, pack, p, xb, h1, h2, d, rows);

                // dX̂ = (X̂ − target)/m, written over X̂; db3 += colsum(dX̂); dW3 += H2ᵀ·dX̂
                sum += double.CreateTruncating(Elementwise<S, T, V>.Residual(target + (r * n), d, rows * n, invM));
                Elementwise<S, T, V>.AddColumnSums(d, gB3, rows, n, first);
                WeightGradient(ProductKind.OutputGradient, team, plan, pack, h2, n, d, n, gW3, rows, first);

                // dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ) into e; db2 += colsum(dZ2); dW2 += H1ᵀ·dZ2
                Backpropagate(ProductKind.Output, team, plan, pack, d, p + layout.W3, h2, e, rows, n, n);
                Elementwise<S, T, V>.AddColumnSums(e, gB2, rows, n, first);
                WeightGradient(ProductKind.DecoderGradient, team, plan, pack, h1, k, e, n, gW2, rows, first);

                // dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ) into d; db1 += colsum(dZ1); dW1 += Xᵀ·dZ1
                Backpropagate(ProductKind.Encoder, team, plan, pack, e, p + layout.W2, h1, d, rows, n, k);
                Elementwise<S, T, V>.AddColumnSums(d, gB1, rows, k, first);
                WeightGradient(ProductKind.EncoderGradient, team, plan, pack, xb, n, d, k, gW1, rows, first);
            }
        }

        ArrayPool<T>.Shared.Return(scratch);
        return sum / (2.0 * m);
    }

    /// <summary>The pack buffer of one thread: room for any blocking's packed panels of B and tiles of A in the deepest product.</summary>
    public static int PackLength(in ParameterLayout layout) => Blocking.MaxPackLength(Math.Max(Math.Max(layout.Inputs, layout.Hidden), ChunkRows), S.Lanes);

    private static void ForwardChunk(in ParameterLayout layout, KernelPlan plan, Team? team, T* pack, T* p, T* x, T* h1, T* h2, T* xhat, int rows)
    {
        int n = layout.Inputs, k = layout.Hidden;
        Layer(ProductKind.Encoder, team, plan, pack, x, n, p + layout.W1, p + layout.B1, h1, rows, k, Finish.Sigmoid);
        Layer(ProductKind.Decoder, team, plan, pack, h1, k, p + layout.W2, p + layout.B2, h2, rows, n, Finish.Sigmoid);
        Layer(ProductKind.Output, team, plan, pack, h2, n, p + layout.W3, p + layout.B3, xhat, rows, n, Finish.Store);
    }

    /// <summary>C = finish(b + A·W) for <paramref name="rows"/> rows of A, <paramref name="depth"/> wide.</summary>
    private static void Layer(ProductKind kind, Team? team, KernelPlan plan, T* pack, T* a, int depth, T* w, T* bias, T* c, int rows, int columns, Finish finish) =>
        Run<ByRows>(team, plan[kind], pack, new Product<T>
        {
            A = a, AStride = (nuint)depth, B = w, BStride = (nuint)columns, C = c, CStride = (nuint)columns, Bias = bias, Gate = c,
            Rows = rows, Columns = columns, Depth = depth, Start = Start.Bias, Finish = finish,
        });

    /// <summary>G += Aᵀ·D over <paramref name="rows"/> rows (G = Aᵀ·D for the <paramref name="first"/> chunk): A is rows × <paramref name="aWidth"/>, D rows × <paramref name="dWidth"/>.</summary>
    private static void WeightGradient(ProductKind kind, Team? team, KernelPlan plan, T* pack, T* a, int aWidth, T* d, int dWidth, T* g, int rows, bool first) =>
        Run<ByColumns>(team, plan[kind], pack, new Product<T>
        {
            A = a, AStride = (nuint)aWidth, B = d, BStride = (nuint)dWidth, C = g, CStride = (nuint)dWidth, Bias = g, Gate = g,
            Rows = aWidth, Columns = dWidth, Depth = rows, Start = first ? Start.Zero : Start.Accumulate, Finish = Finish.Store,
        });

    /// <summary>E = H∘(1 − H)∘(D·Wᵀ) for the weights <paramref name="w"/> (<paramref name="columns"/> × <paramref name="depth"/>), read transposed.</summary>
    private static void Backpropagate(ProductKind kind, Team? team, KernelPlan plan, T* pack, T* d, T* w, T* h, T* e, int rows, int depth, int columns) =>
        Run<ByRows>(team, plan[kind], pack, new Product<T>
        {
            A = d, AStride = (nuint)depth, B = w, BStride = (nuint)depth, BTransposed = true, C = e, CStride = (nuint)columns, Bias = e, Gate = h,
            Rows = rows, Columns = columns, Depth = depth, Start = Start.Zero, Finish = Finish.SigmoidGradient,
        });

    private static void Run<TAccess>(Team? team, Blocking blocking, T* pack, Product<T> product)
        where TAccess : IAccess
    {
        if (team is null || !team.Shares(product.Rows, product.Columns, product.Depth))
        {
            BlockedProduct.Run<S, T, V, TAccess>(product, blocking, 0, BlockedProduct.Panels(product.Columns, S.Lanes), 0, product.Rows, edgeColumns: true, new Span<T>(pack, blocking.PackLength(product.Rows, product.Depth, S.Lanes)));
            return;
        }

        team.Run<S, T, V, TAccess>(product, blocking);
    }

}
