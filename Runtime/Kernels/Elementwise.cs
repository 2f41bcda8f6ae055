using System.Numerics;
using System.Runtime.CompilerServices;

namespace AeGen.Kernels;

/// <summary>
/// The steps of a dense model's Backward that are not products: the residual and the bias gradients. Like every
/// kernel here they are compiled fully optimized at once (AggressiveOptimization): unoptimized first-tier code of a
/// loop full of vector calls is tens of times slower, and it would stay in use while new kernels keep compiling.
/// </summary>
internal static unsafe class Elementwise<S, T, V>
    where S : ISimd<T, V>
    where T : unmanaged, IFloatingPointIeee754<T>
    where V : struct
{
    /// <summary>Writes (X̂ − X)·scale over X̂ for <paramref name="count"/> values and returns Σ(X̂ − X)².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Residual(T* x, T* xhat, int count, T scale)
    {
        V squares = S.Zero;
        V factor = S.Broadcast(scale);
        int lanes = S.Lanes;
        int i = 0;
        for (; i + lanes <= count; i += lanes)
        {
            V e = S.Subtract(S.Load(ref xhat[i], 0), S.Load(ref x[i], 0));
            squares = S.MultiplyAdd(e, e, squares);
            S.Store(S.Multiply(e, factor), ref xhat[i], 0);
        }

        T sum = S.Sum(squares);
        for (; i < count; i++)
        {
            T e = xhat[i] - x[i];
            sum += e * e;
            xhat[i] = e * scale;
        }

        return sum;
    }

    /// <summary>
    /// g[c] += Σ_r d[r, c] over <paramref name="rows"/> rows of <paramref name="width"/> values, the rows in order; with
    /// <paramref name="start"/>, g[c] = 0 + Σ_r d[r, c], the same bits as adding to a zero that g does not need to hold.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddColumnSums(T* d, T* g, int rows, int width, bool start)
    {
        int lanes = S.Lanes;
        int c = 0;
        for (; c + lanes <= width; c += lanes)
        {
            V sum = start ? S.Zero : S.Load(ref g[c], 0);
            for (int r = 0; r < rows; r++)
            {
                sum = S.Add(sum, S.Load(ref d[(r * width) + c], 0));
            }

            S.Store(sum, ref g[c], 0);
        }

        for (; c < width; c++)
        {
            T sum = start ? T.Zero : g[c];
            for (int r = 0; r < rows; r++)
            {
                sum += d[(r * width) + c];
            }

            g[c] = sum;
        }
    }
}
