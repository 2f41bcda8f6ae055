using System;
using System.Numerics;

namespace AeGen.Tests.Numerics;

/// <summary>Reproducible inputs and parameter points for numerical tests.</summary>
internal static class TestData
{
    /// <summary>m·n values uniform in [0, 1).</summary>
    public static T[] Rows<T>(int m, int n, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SplitMix64(seed);
        var x = new T[m * n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = T.CreateChecked(random.NextDouble());
        }

        return x;
    }

    /// <summary>
    /// Moves a freshly initialized model to a generic point: biases nonzero, weights perturbed, so that no
    /// gradient is zero by symmetry and every term of the backward pass matters. Wide models take a small
    /// <paramref name="amplitude"/>: large pre-activations saturate the sigmoids and finite differences lose accuracy.
    /// </summary>
    public static void Perturb<T>(Span<T> parameters, ulong seed, double amplitude = 0.3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SplitMix64(seed);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += T.CreateChecked((2 * random.NextDouble() - 1) * amplitude);
        }
    }
}
