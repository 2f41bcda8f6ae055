using System.Diagnostics;
using System.Linq;
using AeGen.Tests.Models;
using Xunit;
using Xunit.Abstractions;

namespace AeGen.Tests.Training;

/// <summary>The quality bar: a 64×16 model on the digits reconstructs unseen digits well.</summary>
public class QualityBarTests(ITestOutputHelper output)
{
    [Fact]
    public void Adam_for_50_epochs_reaches_a_test_mse_per_pixel_of_at_most_0_016()
    {
        (float[] train, float[] test) = DigitsData.Load();
        var model = new F64x16();
        var clock = Stopwatch.StartNew();
        TrainingReport report = model.Fit(train, new TrainingOptions
        {
            Epochs = 50, BatchSize = 64, Optimizer = new Adam(learningRate: 0.01), Seed = 0, ValidationRows = test,
        });
        clock.Stop();

        // S = 1/(2m)·Σ(X − X̂)², so the mean squared error per pixel is 2S/n. Computed here from Forward, not from Cost.
        var xhat = new float[test.Length];
        model.Forward(test, xhat);
        double mse = test.Zip(xhat, (x, y) => (double)(x - y) * (x - y)).Sum() / test.Length;

        // The baseline the README quotes: predict each pixel's training mean.
        double[] mean = Enumerable.Range(0, 64).Select(j => Enumerable.Range(0, DigitsData.TrainRows).Average(r => (double)train[(r * 64) + j])).ToArray();
        double baseline = test.Select((x, i) => (x - mean[i % 64]) * (x - mean[i % 64])).Sum() / test.Length;

        output.WriteLine($"test MSE per pixel {mse:F5} (mean predictor {baseline:F5}); fit took {clock.Elapsed.TotalSeconds:F2} s; {report.Message}");
        Assert.Equal(StopReason.Completed, report.StopReason);
        Assert.Equal(50, report.Epochs.Count);
        Assert.InRange(baseline, 0.073, 0.0745);
        Assert.True(mse <= 0.016, $"test MSE per pixel {mse} exceeds 0.016");
        Assert.Equal(2 * report.Epochs[^1].ValidationCost!.Value / 64, mse, 1e-5);
    }
}
