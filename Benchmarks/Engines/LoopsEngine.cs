using System;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// The network as a careful developer writes it without a generator: run-time shapes, flat arrays, buffers
/// allocated once, loops ordered so the innermost one walks memory contiguously.
/// </summary>
public sealed class LoopsEngine : Engine
{
    private readonly float[] _p;
    private readonly float[] _g;
    private readonly float[] _h1, _h2, _d, _dz2, _dz1;
    private readonly AdamState _adam;

    public LoopsEngine(int inputs, int hidden, int rows)
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

    public override string Name => "Loops";

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

    /// <summary>output = act(input·W + b), row by row, accumulating W's rows (i-k-j order).</summary>
    private void Dense(float[] input, int m, int inputs, int outputs, int w, int b, float[] output, bool sigmoid)
    {
        for (int r = 0; r < m; r++)
        {
            int row = r * outputs;
            Array.Copy(_p, b, output, row, outputs);
            for (int i = 0; i < inputs; i++)
            {
                float a = input[(r * inputs) + i];
                int wi = w + (i * outputs);
                for (int j = 0; j < outputs; j++)
                {
                    output[row + j] += a * _p[wi + j];
                }
            }

            if (sigmoid)
            {
                for (int j = 0; j < outputs; j++)
                {
                    output[row + j] = 1f / (1f + MathF.Exp(-output[row + j]));
                }
            }
        }
    }

    private float Backward(float[] x)
    {
        int n = Inputs, k = Hidden, m = x.Length / n;
        Run(x, _d);
        float sum = 0, invM = 1f / m;
        for (int i = 0; i < _d.Length; i++)
        {
            float e = _d[i] - x[i];
            sum += e * e;
            _d[i] = e * invM;
        }

        Array.Clear(_g);
        Accumulate(_h2, _d, m, n, n, Layout.W3, Layout.B3);
        BackThrough(_d, _h2, _dz2, m, n, n, Layout.W3);
        Accumulate(_h1, _dz2, m, k, n, Layout.W2, Layout.B2);
        BackThrough(_dz2, _h1, _dz1, m, k, n, Layout.W2);
        Accumulate(x, _dz1, m, n, k, Layout.W1, Layout.B1);
        return sum / (2f * m);
    }

    /// <summary>dW += aᵀ·d, db += colsum(d).</summary>
    private void Accumulate(float[] a, float[] d, int m, int inputs, int outputs, int w, int b)
    {
        for (int r = 0; r < m; r++)
        {
            int dr = r * outputs;
            for (int j = 0; j < outputs; j++)
            {
                _g[b + j] += d[dr + j];
            }

            for (int i = 0; i < inputs; i++)
            {
                float ai = a[(r * inputs) + i];
                int gi = w + (i * outputs);
                for (int j = 0; j < outputs; j++)
                {
                    _g[gi + j] += ai * d[dr + j];
                }
            }
        }
    }

    /// <summary>dz = h(1 − h)∘(d·Wᵀ).</summary>
    private void BackThrough(float[] d, float[] h, float[] dz, int m, int inputs, int outputs, int w)
    {
        for (int r = 0; r < m; r++)
        {
            for (int i = 0; i < inputs; i++)
            {
                float s = 0;
                int wi = w + (i * outputs);
                for (int j = 0; j < outputs; j++)
                {
                    s += d[(r * outputs) + j] * _p[wi + j];
                }

                float hv = h[(r * inputs) + i];
                dz[(r * inputs) + i] = hv * (1 - hv) * s;
            }
        }
    }
}
