using System;
using System.Numerics.Tensors;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// Run-time shapes with System.Numerics.Tensors' SIMD primitives doing every row operation: what a .NET
/// developer reaches for to vectorize the loops without writing intrinsics.
/// </summary>
public sealed class TensorPrimitivesEngine : Engine
{
    private readonly float[] _p;
    private readonly float[] _g;
    private readonly float[] _h1, _h2, _d, _dz2, _dz1;
    private readonly AdamState _adam;

    public TensorPrimitivesEngine(int inputs, int hidden, int rows)
        : base(inputs, hidden, rows)
    {
        _p = new float[Layout.Count];
        _g = new float[Layout.Count];
        _h1 = new float[rows * hidden];
        _h2 = new float[rows * inputs];
        _d = new float[rows * inputs];
        _dz2 = new float[rows * inputs];
        _dz1 = new float[rows * hidden];
        _adam = new AdamState(Layout.Count);
    }

    public override string Name => "TensorPrimitives";

    public override void Load(ReadOnlySpan<float> parameters)
    {
        parameters.CopyTo(_p);
        _adam.Reset();
    }

    public override void Forward(float[] x, float[] xhat) => Run(x, xhat);

    public override float Gradient(float[] x, float[] gradient)
    {
        float cost = Backward(x);
        _g.CopyTo(gradient, 0);
        return cost;
    }

    public override float TrainStep(float[] x)
    {
        float cost = Backward(x);
        _adam.Step(_p, _g);
        return cost;
    }

    private void Run(float[] x, float[] xhat)
    {
        int n = Inputs, k = Hidden, m = x.Length / n;
        Dense(x, m, n, k, Layout.W1, Layout.B1, _h1, sigmoid: true);
        Dense(_h1, m, k, n, Layout.W2, Layout.B2, _h2, sigmoid: true);
        Dense(_h2, m, n, n, Layout.W3, Layout.B3, xhat, sigmoid: false);
    }

    private void Dense(float[] input, int m, int inputs, int outputs, int w, int b, float[] output, bool sigmoid)
    {
        ReadOnlySpan<float> p = _p;
        for (int r = 0; r < m; r++)
        {
            Span<float> row = output.AsSpan(r * outputs, outputs);
            p.Slice(b, outputs).CopyTo(row);
            for (int i = 0; i < inputs; i++)
            {
                TensorPrimitives.MultiplyAdd(p.Slice(w + (i * outputs), outputs), input[(r * inputs) + i], row, row);
            }

            if (sigmoid)
            {
                TensorPrimitives.Sigmoid(row, row);
            }
        }
    }

    private float Backward(float[] x)
    {
        int n = Inputs, k = Hidden, m = x.Length / n;
        Run(x, _d);
        TensorPrimitives.Subtract(_d, x, _d);
        float sum = TensorPrimitives.SumOfSquares<float>(_d);
        TensorPrimitives.Multiply(_d, 1f / m, _d);

        Array.Clear(_g);
        Accumulate(_h2, _d, m, n, n, Layout.W3, Layout.B3);
        BackThrough(_d, _h2, _dz2, m, n, n, Layout.W3);
        Accumulate(_h1, _dz2, m, k, n, Layout.W2, Layout.B2);
        BackThrough(_dz2, _h1, _dz1, m, k, n, Layout.W2);
        Accumulate(x, _dz1, m, n, k, Layout.W1, Layout.B1);
        return sum / (2f * m);
    }

    private void Accumulate(float[] a, float[] d, int m, int inputs, int outputs, int w, int b)
    {
        Span<float> g = _g;
        for (int r = 0; r < m; r++)
        {
            ReadOnlySpan<float> dr = d.AsSpan(r * outputs, outputs);
            TensorPrimitives.Add(g.Slice(b, outputs), dr, g.Slice(b, outputs));
            for (int i = 0; i < inputs; i++)
            {
                Span<float> gi = g.Slice(w + (i * outputs), outputs);
                TensorPrimitives.MultiplyAdd(dr, a[(r * inputs) + i], gi, gi);
            }
        }
    }

    private void BackThrough(float[] d, float[] h, float[] dz, int m, int inputs, int outputs, int w)
    {
        ReadOnlySpan<float> p = _p;
        for (int r = 0; r < m; r++)
        {
            ReadOnlySpan<float> dr = d.AsSpan(r * outputs, outputs);
            for (int i = 0; i < inputs; i++)
            {
                float s = TensorPrimitives.Dot(dr, p.Slice(w + (i * outputs), outputs));
                float hv = h[(r * inputs) + i];
                dz[(r * inputs) + i] = hv * (1 - hv) * s;
            }
        }
    }
}
