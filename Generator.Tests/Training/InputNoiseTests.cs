using System;
using System.Linq;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Training;

/// <summary>TrainingOptions.InputNoise: the corruption's statistics, its determinism, and that it trains a denoiser.</summary>
public class InputNoiseTests
{
    [Fact]
    public void Masking_zeroes_the_given_fraction_of_values_and_keeps_the_others()
    {
        double[] clean = Enumerable.Range(1, 200_000).Select(i => (double)i).ToArray();
        var noisy = new double[clean.Length];
        var random = new SplitMix64(5);
        InputNoise.Masking(0.3).Corrupt<double>(clean, noisy, ref random);

        int zeros = noisy.Count(v => v == 0);
        Assert.InRange(zeros / (double)clean.Length, 0.297, 0.303);
        Assert.All(Enumerable.Range(0, clean.Length).Where(i => noisy[i] != 0), i => Assert.Equal(clean[i], noisy[i]));
    }

    [Fact]
    public void Gaussian_noise_has_mean_zero_and_the_given_deviation()
    {
        float[] clean = TestData.Rows<float>(100_001, 1, 3);
        var noisy = new float[clean.Length];
        var random = new SplitMix64(9);
        InputNoise.Gaussian(0.25).Corrupt<float>(clean, noisy, ref random);

        double[] added = clean.Select((v, i) => (double)noisy[i] - v).ToArray();
        double mean = added.Average();
        double deviation = Math.Sqrt(added.Select(a => (a - mean) * (a - mean)).Average());
        Assert.InRange(mean, -0.003, 0.003);
        Assert.InRange(deviation, 0.2475, 0.2525);
        // Normal, not uniform: about 4.55% of the draws lie beyond two deviations.
        Assert.InRange(added.Count(a => Math.Abs(a) > 0.5) / (double)added.Length, 0.043, 0.048);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_deviation_that_is_not_positive_and_finite_is_refused(double sigma) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => InputNoise.Gaussian(sigma));

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_zero_to_one_is_refused(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => InputNoise.Masking(fraction));

    [Theory]
    [InlineData(InputNoiseKind.Gaussian)]
    [InlineData(InputNoiseKind.Masking)]
    public void Noisy_training_is_deterministic_whatever_the_thread_count_and_differs_from_clean_training(InputNoiseKind kind)
    {
        float[] rows = TestData.Rows<float>(1200, 64, 4);
        InputNoise noise = kind == InputNoiseKind.Gaussian ? InputNoise.Gaussian(0.1) : InputNoise.Masking(0.2);
        float[] Train(InputNoise? inputNoise, int threads)
        {
            var model = new F64x16();
            model.Initialize(3);
            model.Fit(rows, new TrainingOptions { Epochs = 2, BatchSize = 600, Optimizer = new Adam(0.01), Seed = 8, InputNoise = inputNoise, MaxDegreeOfParallelism = threads });
            return model.Parameters.ToArray();
        }

        float[] one = Train(noise, 1);
        Assert.Equal(one, Train(noise, 2));
        Assert.NotEqual(one, Train(null, 1));
    }

    [Fact]
    public void The_streaming_fit_corrupts_as_the_in_memory_fit_does()
    {
        double[] rows = TestData.Rows<double>(300, 8, 6);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, Optimizer = new Adam(0.01), Seed = 2, InputNoise = InputNoise.Masking(0.25) };
        var inMemory = new D8x3();
        inMemory.Fit(rows, options);
        var streamed = new D8x3();
        streamed.Fit([rows.AsMemory()], options);
        Assert.Equal(inMemory.Parameters.ToArray(), streamed.Parameters.ToArray());
    }

    [Fact]
    public void A_model_trained_on_masked_rows_restores_masked_values_better_than_one_trained_on_clean_rows()
    {
        // Rows on a two-dimensional surface in 16 dimensions: each value is a fixed mix of two hidden factors, so a
        // masked value can be told from the others.
        var random = new SplitMix64(12);
        double[,] mix = new double[2, 16];
        for (int f = 0; f < 2; f++)
        {
            for (int j = 0; j < 16; j++)
            {
                mix[f, j] = random.NextDouble();
            }
        }

        double[] Rows(int m)
        {
            var values = new double[m * 16];
            for (int r = 0; r < m; r++)
            {
                double a = random.NextDouble(), b = random.NextDouble();
                for (int j = 0; j < 16; j++)
                {
                    values[(r * 16) + j] = 0.1 + (0.8 * ((a * mix[0, j]) + (b * mix[1, j])) / (mix[0, j] + mix[1, j]));
                }
            }

            return values;
        }

        double[] training = Rows(2000), test = Rows(500);
        var options = new TrainingOptions { Epochs = 60, BatchSize = 32, Optimizer = new Adam(0.01), Seed = 1 };
        var plain = new D16x3(seed: 4);
        plain.Fit(training, options);
        var denoiser = new D16x3(seed: 4);
        denoiser.Fit(training, options with { InputNoise = InputNoise.Masking(0.25) });

        var masked = new double[test.Length];
        var maskRandom = new SplitMix64(77);
        InputNoise.Masking(0.25).Corrupt<double>(test, masked, ref maskRandom);
        double Error(IAutoencoder<double> model)
        {
            var xhat = new double[test.Length];
            model.Forward(masked, xhat);
            return test.Select((v, i) => (v - xhat[i]) * (v - xhat[i])).Sum() / test.Length;
        }

        double plainError = Error(plain), denoiserError = Error(denoiser);
        Assert.True(denoiserError < 0.7 * plainError, $"restoring masked rows: denoiser {denoiserError:G4}, plain {plainError:G4}");
    }
}
