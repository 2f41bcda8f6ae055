using System;
using System.Linq;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Sizing;

/// <summary>
/// Models shaped at run time (for comparing hidden sizes) compute the same network: checked against the independent
/// double-precision reference and central differences; and the comparison finds the size of the data's hidden factors.
/// </summary>
public sealed class HiddenSizeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(12, 4)]
    [InlineData(40, 7)]
    public void A_runtime_shaped_model_matches_the_reference_and_central_differences(int n, int k)
    {
        var model = new RuntimeShapedAutoencoder<double>(n, k, seed: n + k);
        TestData.Perturb(model.Parameters, 3, amplitude: 0.4);
        double[] x = TestData.Rows<double>(9, n, 5);

        var xhat = new double[x.Length];
        model.Forward(x, xhat);
        double[] expected = ReferenceNetwork.Forward(model.Parameters, x, n, k);
        for (int i = 0; i < xhat.Length; i++)
        {
            Assert.Equal(expected[i], xhat[i], 1e-12);
        }

        Assert.Equal(ReferenceNetwork.Cost(model.Parameters, x, n, k), model.Cost(x), 1e-12);
        var gradient = new double[model.ParameterCount];
        model.Backward(x, gradient);
        const double h = 1e-6;
        for (int i = 0; i < gradient.Length; i++)
        {
            double saved = model.Parameters[i];
            model.Parameters[i] = saved + h;
            double up = ReferenceNetwork.Cost(model.Parameters, x, n, k);
            model.Parameters[i] = saved - h;
            double down = ReferenceNetwork.Cost(model.Parameters, x, n, k);
            model.Parameters[i] = saved;
            Assert.Equal((up - down) / (2 * h), gradient[i], 1e-7);
        }
    }

    [Fact]
    public void On_rows_driven_by_three_hidden_factors_the_suggestion_is_three()
    {
        // 16 columns, each a smooth function of three factors in [0, 1], plus a little noise.
        var random = new Random(7);
        double[,] mix = new double[3, 16];
        for (int f = 0; f < 3; f++)
        {
            for (int j = 0; j < 16; j++)
            {
                mix[f, j] = (random.NextDouble() * 4) - 2;
            }
        }

        float[] Rows(int m)
        {
            var rows = new float[m * 16];
            for (int r = 0; r < m; r++)
            {
                double[] z = [random.NextDouble(), random.NextDouble(), random.NextDouble()];
                for (int j = 0; j < 16; j++)
                {
                    double sum = (z[0] * mix[0, j]) + (z[1] * mix[1, j]) + (z[2] * mix[2, j]);
                    rows[(r * 16) + j] = (float)((1 / (1 + Math.Exp(-sum))) + (0.002 * (random.NextDouble() - 0.5)));
                }
            }

            return rows;
        }

        float[] training = Rows(3000), validation = Rows(600);
        var options = new TrainingOptions { Epochs = 60, BatchSize = 32, Optimizer = new Adam(0.01), ValidationRows = validation };
        HiddenSizeReport report = HiddenSizes.Compare<float>(training, 16, [1, 2, 3, 4, 6, 9], options);

        Assert.Equal([1, 2, 3, 4, 6, 9], report.Trials.Select(t => t.Hidden).ToArray());
        double[] costs = report.Trials.Select(t => t.ValidationCost).ToArray();
        // Each of the first three factors buys a large drop; after the third, little is left to gain.
        Assert.True(costs[1] < 0.8 * costs[0] && costs[2] < 0.8 * costs[1], string.Join(", ", costs));
        Assert.True(report.Suggested == 3, string.Join(", ", costs));
        Assert.Equal(new ParameterLayout(16, 3).Count, report.Trials[2].ParameterCount);
    }

    [Fact]
    public void Candidates_grow_by_about_half_and_stay_below_n()
    {
        Assert.Equal([1, 2, 3, 4, 6, 9], HiddenSizes.Candidates(12));
        Assert.Equal([1], HiddenSizes.Candidates(2));
        Assert.Equal([1], HiddenSizes.Candidates(1));
        Assert.All(HiddenSizes.Candidates(784), k => Assert.InRange(k, 1, 783));
    }

    [Fact]
    public void A_comparison_without_validation_rows_or_with_sizes_out_of_order_is_refused()
    {
        float[] rows = new float[40];
        var noValidation = Assert.Throws<ArgumentException>(() => HiddenSizes.Compare<float>(rows, 4, [1, 2], new TrainingOptions()));
        Assert.Contains("needs options.ValidationRows", noValidation.Message, StringComparison.Ordinal);
        var options = new TrainingOptions { ValidationRows = new float[8] };
        var order = Assert.Throws<ArgumentException>(() => HiddenSizes.Compare<float>(rows, 4, [2, 2], options));
        Assert.Contains("size 1 (counting from 0) is 2 after 2", order.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => HiddenSizes.Compare<float>(rows, 4, [], options));
    }
}
