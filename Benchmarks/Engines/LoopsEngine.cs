using System;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// The network as a careful developer writes it without a generator: run-time shapes, flat arrays, buffers
/// allocated once, loops ordered so the innermost one walks memory contiguously.
/// </summary>
public sealed class LoopsEngine(int inputs, int hidden, int rows) : RowMajorEngine(inputs, hidden, rows)
{
    public override string Name => "Loops";

    /// <summary>Row by row, accumulating W's rows (i-k-j order).</summary>
    protected override void Dense(float[] input, int m, int inputs, int outputs, int w, int b, float[] output, bool sigmoid)
    {
        for (int r = 0; r < m; r++)
        {
            int row = r * outputs;
            Array.Copy(P, b, output, row, outputs);
            for (int i = 0; i < inputs; i++)
            {
                float a = input[(r * inputs) + i];
                int wi = w + (i * outputs);
                for (int j = 0; j < outputs; j++)
                {
                    output[row + j] += a * P[wi + j];
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

    protected override float Residual(float[] d, float[] x, int m)
    {
        // The sum of squares in double, as AeGen keeps it: summed in float, a 2048×256 batch of 256 rows (half a
        // million terms) lost the fourth digit of the cost.
        double sum = 0;
        float invM = 1f / m;
        for (int i = 0; i < d.Length; i++)
        {
            float e = d[i] - x[i];
            sum += e * e;
            d[i] = e * invM;
        }

        return (float)sum;
    }

    protected override void Accumulate(float[] a, float[] d, int m, int inputs, int outputs, int w, int b)
    {
        for (int r = 0; r < m; r++)
        {
            int dr = r * outputs;
            for (int j = 0; j < outputs; j++)
            {
                G[b + j] += d[dr + j];
            }

            for (int i = 0; i < inputs; i++)
            {
                float ai = a[(r * inputs) + i];
                int gi = w + (i * outputs);
                for (int j = 0; j < outputs; j++)
                {
                    G[gi + j] += ai * d[dr + j];
                }
            }
        }
    }

    protected override void BackThrough(float[] d, float[] h, float[] dz, int m, int inputs, int outputs, int w)
    {
        for (int r = 0; r < m; r++)
        {
            for (int i = 0; i < inputs; i++)
            {
                float s = 0;
                int wi = w + (i * outputs);
                for (int j = 0; j < outputs; j++)
                {
                    s += d[(r * outputs) + j] * P[wi + j];
                }

                float hv = h[(r * inputs) + i];
                dz[(r * inputs) + i] = hv * (1 - hv) * s;
            }
        }
    }
}
