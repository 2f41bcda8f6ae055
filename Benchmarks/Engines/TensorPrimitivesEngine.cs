using System;
using System.Numerics.Tensors;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// Run-time shapes with System.Numerics.Tensors' SIMD primitives doing every row operation: what a .NET
/// developer reaches for to vectorize the loops without writing intrinsics.
/// </summary>
public sealed class TensorPrimitivesEngine(int inputs, int hidden, int rows) : RowMajorEngine(inputs, hidden, rows)
{
    public override string Name => "TensorPrimitives";

    protected override void Dense(float[] input, int m, int inputs, int outputs, int w, int b, float[] output, bool sigmoid)
    {
        ReadOnlySpan<float> p = P;
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

    protected override float Residual(float[] d, float[] x, int m)
    {
        TensorPrimitives.Subtract(d, x, d);
        float sum = TensorPrimitives.SumOfSquares<float>(d);
        TensorPrimitives.Multiply(d, 1f / m, d);
        return sum;
    }

    protected override void Accumulate(float[] a, float[] d, int m, int inputs, int outputs, int w, int b)
    {
        Span<float> g = G;
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

    protected override void BackThrough(float[] d, float[] h, float[] dz, int m, int inputs, int outputs, int w)
    {
        ReadOnlySpan<float> p = P;
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
