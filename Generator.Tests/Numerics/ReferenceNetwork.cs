using System;

namespace AeGen.Tests.Numerics;

/// <summary>
/// The seed's network written the plainest way, in double, straight from the equations, with run-time shapes.
/// It shares no code with the generator; tests compare the generated models against it and against
/// finite differences of their own cost.
/// </summary>
internal static class ReferenceNetwork
{
    /// <summary>X̂ for the m rows of <paramref name="x"/>, given parameters in the generated layout.</summary>
    public static double[] Forward(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, int n, int k)
    {
        var layout = new ParameterLayout(n, k);
        int m = x.Length / n;
        var xhat = new double[m * n];
        var h1 = new double[k];
        var h2 = new double[n];
        for (int r = 0; r < m; r++)
        {
            for (int j = 0; j < k; j++)
            {
                double z = parameters[layout.B1 + j];
                for (int i = 0; i < n; i++)
                {
                    z += x[(r * n) + i] * parameters[layout.W1 + (i * k) + j];
                }

                h1[j] = 1 / (1 + Math.Exp(-z));
            }

            for (int j = 0; j < n; j++)
            {
                double z = parameters[layout.B2 + j];
                for (int a = 0; a < k; a++)
                {
                    z += h1[a] * parameters[layout.W2 + (a * n) + j];
                }

                h2[j] = 1 / (1 + Math.Exp(-z));
            }

            for (int j = 0; j < n; j++)
            {
                double value = parameters[layout.B3 + j];
                for (int i = 0; i < n; i++)
                {
                    value += h2[i] * parameters[layout.W3 + (i * n) + j];
                }

                xhat[(r * n) + j] = value;
            }
        }

        return xhat;
    }

    /// <summary>H1 = σ(X·W1 + b1) for the m rows of <paramref name="x"/>.</summary>
    public static double[] Encode(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, int n, int k)
    {
        var layout = new ParameterLayout(n, k);
        int m = x.Length / n;
        var code = new double[m * k];
        for (int r = 0; r < m; r++)
        {
            for (int j = 0; j < k; j++)
            {
                double z = parameters[layout.B1 + j];
                for (int i = 0; i < n; i++)
                {
                    z += x[(r * n) + i] * parameters[layout.W1 + (i * k) + j];
                }

                code[(r * k) + j] = 1 / (1 + Math.Exp(-z));
            }
        }

        return code;
    }

    /// <summary>S = 1/(2m)·Σ(X − X̂)².</summary>
    public static double Cost(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, int n, int k)
    {
        double[] xhat = Forward(parameters, x, n, k);
        double sum = 0;
        for (int i = 0; i < xhat.Length; i++)
        {
            double e = x[i] - xhat[i];
            sum += e * e;
        }

        return sum / (2.0 * (x.Length / n));
    }
}
