using System;
using System.IO;
using System.Linq;
using AeGen.Tests.Checkpoints;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using AeGen.Tests.Training;
using Xunit;

namespace AeGen.Tests.Data;

/// <summary>Per-row reconstruction errors, quantile thresholds and streaming scores.</summary>
public sealed class AnomalyScoreTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 5.0)]
    [InlineData(0.5, 3.0)]
    [InlineData(0.9, 4.6)]
    [InlineData(0.125, 1.5)]
    public void Quantiles_interpolate_between_sorted_scores(double quantile, double expected)
    {
        // Sorted: 1 2 3 4 5; position q·4. 0.9 → 3.6 → 4 + 0.6·1; 0.125 → 0.5 → 1.5.
        double[] scores = [5, 1, 4, 2, 3];
        Assert.Equal(expected, AnomalyThreshold.FromQuantile<double>(scores, quantile), 14);
    }

    [Fact]
    public void Bad_quantile_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AnomalyThreshold.FromQuantile<double>(new double[] { 1 }, 1.5));
        Assert.Throws<ArgumentException>(() => AnomalyThreshold.FromQuantile<double>(ReadOnlySpan<double>.Empty, 0.5));
        var nan = Assert.Throws<ArgumentException>(() => AnomalyThreshold.FromQuantile<double>(new double[] { 1, double.NaN }, 0.5));
        Assert.Contains("score 1 is NaN", nan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_score_is_the_mean_squared_error_of_the_row_in_scaled_units()
    {
        var model = new D8x3(seed: 2);
        TestData.Perturb(model.Parameters, 1);
        double[] raw = TestData.Rows<double>(5, 8, 7).Select(v => (v * 50) + 20).ToArray();
        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.Standard, (ReadOnlySpan<double>)raw, 8);
        model.Scaler = scaler;

        double[] scores = model.Score(raw);

        var scaled = new double[raw.Length];
        scaler.Transform<double>(raw, scaled);
        var xhat = new double[raw.Length];
        model.Forward(scaled, xhat);
        for (int r = 0; r < 5; r++)
        {
            double expected = Enumerable.Range(0, 8).Sum(j => Math.Pow(scaled[(r * 8) + j] - xhat[(r * 8) + j], 2)) / 8;
            Assert.Equal(expected, scores[r], 14);
        }

        // Reconstruct maps back to the caller's units.
        var reconstruction = new double[raw.Length];
        model.Reconstruct(raw, reconstruction);
        var expectedBack = new double[raw.Length];
        scaler.InverseTransform<double>(xhat, expectedBack);
        Assert.Equal(expectedBack, reconstruction);
    }

    [Fact]
    public void On_the_digits_noise_scores_above_the_99th_percentile_of_training_rows()
    {
        (float[] train, float[] test) = DigitsData.Load();
        var model = new F64x16();
        model.Fit(train, new TrainingOptions { Epochs = 20, BatchSize = 64, Optimizer = new Adam(0.01) });

        float threshold = model.AnomalyThresholdFromQuantile(train, 0.99);
        float[] trainScores = model.Score(train);
        int above = trainScores.Count(s => s > threshold);
        Assert.InRange(above, 10, 16); // 1% of 1,437 rows, give or take ties and interpolation

        float[] noise = TestData.Rows<float>(50, 64, 11);
        Assert.All(model.Score(noise), s => Assert.True(s > threshold, $"noise scored {s}, threshold {threshold}"));
        Assert.True(model.Score(test).Count(s => s > threshold) < 36, "most unseen digits should look normal");
    }

    [Fact]
    public void Streaming_scores_from_csv_equal_scores_of_the_rows_in_memory()
    {
        var model = new D8x3(seed: 4);
        double[] rows = TestData.Rows<double>(23, 8, 9);
        string path = _directory.File("rows.csv");
        File.WriteAllLines(path, Enumerable.Range(0, 23).Select(r => string.Join(",", rows.Skip(r * 8).Take(8).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));

        double[] streamed = model.ScoreCsv(path, rowsPerBlock: 5).ToArray();
        Assert.Equal(model.Score(rows), streamed);

        var wide = Assert.Throws<CsvDataException>(() => new F2x2().ScoreCsv<float>(path).ToArray());
        Assert.Contains("model takes n = 2", wide.Message, StringComparison.Ordinal);
    }
}
