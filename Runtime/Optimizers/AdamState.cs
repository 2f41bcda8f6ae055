using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace AeGen;

/// <summary>
/// The moment estimates shared by <see cref="Adam"/> and <see cref="AdamW"/>, which differ only in how weight decay
/// enters: as an L2 term in the gradient (Adam) or as a shrink of the parameters before the step (AdamW).
/// The arithmetic follows PyTorch: step size η/(1 − β₁ᵗ), denominator √v/√(1 − β₂ᵗ) + ε.
/// </summary>
internal sealed class AdamState<T>(int parameterCount, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
    : OptimizerState<T>(parameterCount)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _m = new T[parameterCount];
    private readonly T[] _v = new T[parameterCount];

    protected override void ClearBuffers()
    {
        Array.Clear(_m);
        Array.Clear(_v);
    }

    protected override void Apply(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate, long step)
    {
        if (decoupled && weightDecay != 0)
        {
            T shrink = T.CreateChecked(1 - (learningRate * weightDecay));
            System.Numerics.Tensors.TensorPrimitives.Multiply(parameters, shrink, parameters);
        }

        T l2 = decoupled ? T.Zero : T.CreateChecked(weightDecay);
        T b1 = T.CreateChecked(beta1);
        T b2 = T.CreateChecked(beta2);
        T oneMinusB1 = T.CreateChecked(1 - beta1);
        T oneMinusB2 = T.CreateChecked(1 - beta2);
        T stepSize = T.CreateChecked(learningRate / (1 - Math.Pow(beta1, step)));
        T inverseRootCorrection2 = T.CreateChecked(1 / Math.Sqrt(1 - Math.Pow(beta2, step)));
        T eps = T.CreateChecked(epsilon);
        Span<T> m = _m;
        Span<T> v = _v;

        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Span<Vector<T>> p = MemoryMarshal.Cast<T, Vector<T>>(parameters);
            ReadOnlySpan<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            Span<Vector<T>> vm = MemoryMarshal.Cast<T, Vector<T>>(m);
            Span<Vector<T>> vv = MemoryMarshal.Cast<T, Vector<T>>(v);
            var vL2 = new Vector<T>(l2);
            var vB1 = new Vector<T>(b1);
            var vB2 = new Vector<T>(b2);
            var vOneMinusB1 = new Vector<T>(oneMinusB1);
            var vOneMinusB2 = new Vector<T>(oneMinusB2);
            var vStep = new Vector<T>(stepSize);
            var vInvRoot = new Vector<T>(inverseRootCorrection2);
            var vEps = new Vector<T>(eps);
            for (int j = 0; j < p.Length; j++)
            {
                Vector<T> d = g[j] + (vL2 * p[j]);
                vm[j] = (vB1 * vm[j]) + (vOneMinusB1 * d);
                vv[j] = (vB2 * vv[j]) + (vOneMinusB2 * d * d);
                Vector<T> denominator = (Vector.SquareRoot(vv[j]) * vInvRoot) + vEps;
                p[j] -= vStep * vm[j] / denominator;
            }

            i = p.Length * Vector<T>.Count;
        }

        for (; i < parameters.Length; i++)
        {
            T d = gradient[i] + (l2 * parameters[i]);
            m[i] = (b1 * m[i]) + (oneMinusB1 * d);
            v[i] = (b2 * v[i]) + (oneMinusB2 * d * d);
            T denominator = (T.Sqrt(v[i]) * inverseRootCorrection2) + eps;
            parameters[i] -= stepSize * m[i] / denominator;
        }
    }
}
