using System;
using AeGen;

namespace AeGen.Sample;

/// <summary>The seed's network: m = 5 samples of n = 2 values, k = 2 hidden units, trained by gradient descent.</summary>
internal static class Program
{
    private static void Main()
    {
        var model = new SeedAutoencoder();
        var random = new SplitMix64(42);
        double[] x = new double[5 * SeedAutoencoder.Inputs];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble();
        }

        double[] gradient = new double[SeedAutoencoder.ParameterCount];
        const double LearningRate = 0.5;
        for (int step = 0; step <= 2000; step++)
        {
            double cost = model.Backward(x, gradient);
            if (step % 200 == 0)
            {
                Console.WriteLine($"step {step,5}: cost {cost:E4}");
            }

            Span<double> parameters = model.Parameters;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= LearningRate * gradient[i];
            }
        }
    }
}

// The seed example reconstructs two values through two hidden units on purpose, so AEG006 (k ≥ n) is expected.
#pragma warning disable AEG006
[Autoencoder(2, 2, Precision = Precision.Double)]
#pragma warning restore AEG006
internal sealed partial class SeedAutoencoder;
