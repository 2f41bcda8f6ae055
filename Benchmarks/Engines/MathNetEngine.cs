using System;
using MathNet.Numerics.LinearAlgebra;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// Matrix products from MathNet.Numerics (managed provider), with every result matrix allocated once and
/// reused through the in-place overloads. MathNet stores matrices column-major, so row-major input is copied in.
/// </summary>
public sealed class MathNetEngine : Engine
{
    private readonly Matrix<float> _x, _z1, _z2, _xhat, _dh2, _dh1;
    private readonly Matrix<float> _w1, _w2, _w3, _gw1, _gw2, _gw3;
    private readonly float[] _b1, _b2, _b3, _gb1, _gb2, _gb3;
    private readonly AdamState[] _adam;

    public MathNetEngine(int inputs, int hidden, int rows)
        : base(inputs, hidden, rows)
    {
        MatrixBuilder<float> build = Matrix<float>.Build;
        (_x, _z1, _z2, _xhat) = (build.Dense(rows, inputs), build.Dense(rows, hidden), build.Dense(rows, inputs), build.Dense(rows, inputs));
        (_dh2, _dh1) = (build.Dense(rows, inputs), build.Dense(rows, hidden));
        (_w1, _w2, _w3) = (build.Dense(inputs, hidden), build.Dense(hidden, inputs), build.Dense(inputs, inputs));
        (_gw1, _gw2, _gw3) = (build.Dense(inputs, hidden), build.Dense(hidden, inputs), build.Dense(inputs, inputs));
        (_b1, _b2, _b3) = (new float[hidden], new float[inputs], new float[inputs]);
        (_gb1, _gb2, _gb3) = (new float[hidden], new float[inputs], new float[inputs]);
        _adam = [new(inputs * hidden), new(hidden), new(hidden * inputs), new(inputs), new(inputs * inputs), new(inputs)];
    }

    public override string Name => "MathNet";

    public override void Load(ReadOnlySpan<float> parameters)
    {
        FromRowMajor(parameters.Slice(Layout.W1, Inputs * Hidden), _w1);
        parameters.Slice(Layout.B1, Hidden).CopyTo(_b1);
        FromRowMajor(parameters.Slice(Layout.W2, Hidden * Inputs), _w2);
        parameters.Slice(Layout.B2, Inputs).CopyTo(_b2);
        FromRowMajor(parameters.Slice(Layout.W3, Inputs * Inputs), _w3);
        parameters.Slice(Layout.B3, Inputs).CopyTo(_b3);
        foreach (AdamState state in _adam)
        {
            state.Reset();
        }
    }

    public override void Forward(float[] x, float[] xhat)
    {
        FromRowMajor(x, _x);
        Run();
        ToRowMajor(_xhat, xhat);
    }

    public override float Gradient(float[] x, float[] gradient)
    {
        float cost = Backward(x);
        ToRowMajor(_gw1, gradient.AsSpan(Layout.W1, Inputs * Hidden));
        _gb1.CopyTo(gradient, Layout.B1);
        ToRowMajor(_gw2, gradient.AsSpan(Layout.W2, Hidden * Inputs));
        _gb2.CopyTo(gradient, Layout.B2);
        ToRowMajor(_gw3, gradient.AsSpan(Layout.W3, Inputs * Inputs));
        _gb3.CopyTo(gradient, Layout.B3);
        return cost;
    }

    public override float TrainStep(float[] x)
    {
        float cost = Backward(x);
        _adam[0].Step(_w1.AsColumnMajorArray(), _gw1.AsColumnMajorArray());
        _adam[1].Step(_b1, _gb1);
        _adam[2].Step(_w2.AsColumnMajorArray(), _gw2.AsColumnMajorArray());
        _adam[3].Step(_b2, _gb2);
        _adam[4].Step(_w3.AsColumnMajorArray(), _gw3.AsColumnMajorArray());
        _adam[5].Step(_b3, _gb3);
        return cost;
    }

    private void Run()
    {
        _x.Multiply(_w1, _z1);
        AddBias(_z1, _b1, sigmoid: true);
        _z1.Multiply(_w2, _z2);
        AddBias(_z2, _b2, sigmoid: true);
        _z2.Multiply(_w3, _xhat);
        AddBias(_xhat, _b3, sigmoid: false);
    }

    private float Backward(float[] x)
    {
        FromRowMajor(x, _x);
        Run();
        int m = Rows;
        // D = (X̂ − X)/m, in place of X̂
        _xhat.Subtract(_x, _xhat);
        float[] d = _xhat.AsColumnMajorArray();
        // In double, as AeGen and the loops engine keep the sum of squares (in float it lost the fourth digit at 2048×256).
        double sum = 0;
        foreach (float e in d)
        {
            sum += e * e;
        }

        _xhat.Multiply(1f / m, _xhat);
        _z2.TransposeThisAndMultiply(_xhat, _gw3);
        ColumnSums(_xhat, _gb3);
        _xhat.TransposeAndMultiply(_w3, _dh2);
        SigmoidBackward(_z2, _dh2);
        _z1.TransposeThisAndMultiply(_dh2, _gw2);
        ColumnSums(_dh2, _gb2);
        _dh2.TransposeAndMultiply(_w2, _dh1);
        SigmoidBackward(_z1, _dh1);
        _x.TransposeThisAndMultiply(_dh1, _gw1);
        ColumnSums(_dh1, _gb1);
        return (float)(sum / (2.0 * m));
    }

    private static void AddBias(Matrix<float> z, float[] bias, bool sigmoid)
    {
        float[] data = z.AsColumnMajorArray();
        int rows = z.RowCount;
        for (int j = 0; j < bias.Length; j++)
        {
            for (int r = 0; r < rows; r++)
            {
                float v = data[(j * rows) + r] + bias[j];
                data[(j * rows) + r] = sigmoid ? 1f / (1f + MathF.Exp(-v)) : v;
            }
        }
    }

    /// <summary>d := h(1 − h)∘d.</summary>
    private static void SigmoidBackward(Matrix<float> h, Matrix<float> d)
    {
        float[] hv = h.AsColumnMajorArray(), dv = d.AsColumnMajorArray();
        for (int i = 0; i < dv.Length; i++)
        {
            dv[i] *= hv[i] * (1 - hv[i]);
        }
    }

    private static void ColumnSums(Matrix<float> d, float[] sums)
    {
        float[] data = d.AsColumnMajorArray();
        int rows = d.RowCount;
        for (int j = 0; j < sums.Length; j++)
        {
            float s = 0;
            for (int r = 0; r < rows; r++)
            {
                s += data[(j * rows) + r];
            }

            sums[j] = s;
        }
    }

    private static void FromRowMajor(ReadOnlySpan<float> source, Matrix<float> target)
    {
        float[] data = target.AsColumnMajorArray();
        int rows = target.RowCount, cols = target.ColumnCount;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                data[(c * rows) + r] = source[(r * cols) + c];
            }
        }
    }

    private static void ToRowMajor(Matrix<float> source, Span<float> target)
    {
        float[] data = source.AsColumnMajorArray();
        int rows = source.RowCount, cols = source.ColumnCount;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                target[(r * cols) + c] = data[(c * rows) + r];
            }
        }
    }
}
