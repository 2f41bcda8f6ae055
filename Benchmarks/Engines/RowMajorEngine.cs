using System;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// The shared skeleton of engines that keep flat row-major arrays with run-time shapes: buffers allocated once,
/// the forward pass as three dense layers, the backward pass as the seed's equations in order. Subclasses choose
/// how each row operation is computed.
/// </summary>
public abstract class RowMajorEngine : Engine
{
    private readonly float[] _h1, _h2, _d, _dz2, _dz1;
    private readonly AdamState _adam;

    protected RowMajorEngine(int inputs, int hidden, int rows)
        : base(inputs, hidden, rows)
    {
        P = new float[Layout.Count];
        G = new float[Layout.Count];
        _h1 = new float[rows * hidden];
        _h2 = new float[rows * inputs];
        _d = new float[rows * inputs];
        _dz2 = new float[rows * inputs];
        _dz1 = new float[rows * hidden];
        _adam = new AdamState(Layout.Count);
    }

    /// <summary>The parameters, in AeGen's layout.</summary>
    protected float[] P { get; }

    /// <summary>The gradient, in AeGen's layout.</summary>
    protected float[] G { get; }

    public override void Load(ReadOnlySpan<float> parameters)
    {
        parameters.CopyTo(P);
        _adam.Reset();
    }

    public override void Forward(float[] x, float[] xhat) => Run(x, xhat);

    public override float Gradient(float[] x, float[] gradient)
    {
        float cost = Backward(x);
        G.CopyTo(gradient, 0);
        return cost;
    }

    public override float TrainStep(float[] x)
    {
        float cost = Backward(x);
        _adam.Step(P, G);
        return cost;
    }

    /// <summary>output = act(input·W + b) for m rows; W and b at offsets into <see cref="P"/>.</summary>
    protected abstract void Dense(float[] input, int m, int inputs, int outputs, int w, int b, float[] output, bool sigmoid);

    /// <summary>d := (d − x)/m in place; returns Σ(d − x)².</summary>
    protected abstract float Residual(float[] d, float[] x, int m);

    /// <summary>dW += aᵀ·d, db += colsum(d), into <see cref="G"/> at offsets w and b.</summary>
    protected abstract void Accumulate(float[] a, float[] d, int m, int inputs, int outputs, int w, int b);

    /// <summary>dz = h(1 − h)∘(d·Wᵀ), W at offset w into <see cref="P"/>.</summary>
    protected abstract void BackThrough(float[] d, float[] h, float[] dz, int m, int inputs, int outputs, int w);

    private void Run(float[] x, float[] xhat)
    {
        int n = Inputs, k = Hidden, m = x.Length / n;
        Dense(x, m, n, k, Layout.W1, Layout.B1, _h1, sigmoid: true);
        Dense(_h1, m, k, n, Layout.W2, Layout.B2, _h2, sigmoid: true);
        Dense(_h2, m, n, n, Layout.W3, Layout.B3, xhat, sigmoid: false);
    }

    private float Backward(float[] x)
    {
        int n = Inputs, k = Hidden, m = x.Length / n;
        Run(x, _d);
        float sum = Residual(_d, x, m);
        Array.Clear(G);
        Accumulate(_h2, _d, m, n, n, Layout.W3, Layout.B3);
        BackThrough(_d, _h2, _dz2, m, n, n, Layout.W3);
        Accumulate(_h1, _dz2, m, k, n, Layout.W2, Layout.B2);
        BackThrough(_dz2, _h1, _dz1, m, k, n, Layout.W2);
        Accumulate(x, _dz1, m, n, k, Layout.W1, Layout.B1);
        return sum / (2f * m);
    }
}
