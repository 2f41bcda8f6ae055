using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Deterministic parameter initialization: Glorot-uniform weights (limit √(6 / (fan-in + fan-out))) and zero biases.
/// Random weights break the symmetry between units; a start where all weights are equal cannot learn.
/// The stream comes from SplitMix64, so one seed gives the same parameters on every machine and .NET version.
/// </summary>
public static class ParameterInitializer
{
    /// <summary>Fills <paramref name="parameters"/> (laid out as <see cref="ParameterLayout"/>) from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The span's length is not the parameter count of an n×k model.</exception>
    public static void Initialize<T>(Span<T> parameters, int inputs, int hidden, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layout = new ParameterLayout(inputs, hidden);
        if (parameters.Length != layout.Count)
        {
            throw new ArgumentException(
                $"parameters must have length {layout.Count} for a {inputs}×{hidden} model, but its length is {parameters.Length}.",
                nameof(parameters));
        }

        var random = new SplitMix64(unchecked((ulong)(uint)seed) ^ 0x5DEECE66DUL);
        FillUniform(parameters.Slice(layout.W1, inputs * hidden), inputs, hidden, ref random);
        parameters.Slice(layout.B1, hidden).Clear();
        FillUniform(parameters.Slice(layout.W2, hidden * inputs), hidden, inputs, ref random);
        parameters.Slice(layout.B2, inputs).Clear();
        FillUniform(parameters.Slice(layout.W3, inputs * inputs), inputs, inputs, ref random);
        parameters.Slice(layout.B3, inputs).Clear();
    }

    private static void FillUniform<T>(Span<T> weights, int fanIn, int fanOut, ref SplitMix64 random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = T.CreateChecked((2 * random.NextDouble() - 1) * limit);
        }
    }
}
