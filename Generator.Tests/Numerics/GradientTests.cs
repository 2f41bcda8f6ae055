using System;
using System.Collections.Generic;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Numerics;

/// <summary>
/// Every element of the generated gradient against central finite differences of the cost in double precision.
/// The cost itself is checked against <see cref="ReferenceNetwork"/>, so neither side is judged by its own output.
/// Differences at steps h and h/2 are combined (Richardson): (4·D(h/2) − D(h))/3 cancels the h² error term,
/// so a step large enough to keep rounding error small (wide models have costs in the hundreds) stays accurate.
/// </summary>
public class GradientTests
{
    private const double Step = 1e-4;

    public static TheoryData<string, int> Shapes => new()
    {
        { nameof(Seed2x2), 5 },
        { nameof(D1x1), 5 },
        { nameof(D3x2), 5 },
        { nameof(D8x3), 7 },
        { nameof(D16x3), 5 },
        { nameof(D16x20), 6 },
        { nameof(D64x16), 5 },
        { nameof(D100x10), 5 },
        { nameof(D130x20), 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_gradient_element_matches_central_differences(string shape, int m)
    {
        IAutoencoder<double> model = Create(shape);
        TestData.Perturb(model.Parameters, 11);
        double[] x = TestData.Rows<double>(m, model.Inputs, 7);

        CheckElements(model, x, indices: null);
    }

    /// <summary>The large shape has 1.3 million parameters: a fixed random sample of 400 from every tensor.</summary>
    [Fact]
    public void A_sample_of_gradient_elements_matches_central_differences_at_1024x256()
    {
        var model = new D1024x256();
        TestData.Perturb(model.Parameters, 11, amplitude: 0.02);
        double[] x = TestData.Rows<double>(5, D1024x256.Inputs, 7);
        var random = new SplitMix64(3);
        var indices = new List<int>();
        int[] starts = [D1024x256.W1Offset, D1024x256.B1Offset, D1024x256.W2Offset, D1024x256.B2Offset, D1024x256.W3Offset, D1024x256.B3Offset, D1024x256.ParameterCount];
        for (int tensor = 0; tensor < 6; tensor++)
        {
            for (int s = 0; s < 400 / 6; s++)
            {
                indices.Add(starts[tensor] + random.NextInt(starts[tensor + 1] - starts[tensor]));
            }
        }

        CheckElements(model, x, indices);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Cost_and_Backward_agree_with_the_reference_network(string shape, int m)
    {
        IAutoencoder<double> model = Create(shape);
        TestData.Perturb(model.Parameters, 5);
        double[] x = TestData.Rows<double>(m, model.Inputs, 9);
        double expected = ReferenceNetwork.Cost(model.Parameters, x, model.Inputs, model.Hidden);

        Assert.Equal(expected, model.Cost(x), 1e-12);
        Assert.Equal(expected, model.Backward(x, new double[model.ParameterCount]), 1e-12);
    }

    private static void CheckElements(IAutoencoder<double> model, double[] x, IReadOnlyList<int>? indices)
    {
        var gradient = new double[model.ParameterCount];
        model.Backward(x, gradient);
        Span<double> parameters = model.Parameters;
        int count = indices?.Count ?? parameters.Length;
        for (int s = 0; s < count; s++)
        {
            int i = indices?[s] ?? s;
            double numeric = ((4 * CentralDifference(model, x, i, Step / 2)) - CentralDifference(model, x, i, Step)) / 3;
            double tolerance = 1e-8 + (1e-6 * Math.Abs(numeric));
            Assert.True(
                Math.Abs(numeric - gradient[i]) <= tolerance,
                $"dS/dθ[{i}]: backward gives {gradient[i]:R}, central differences {numeric:R} (n = {model.Inputs}, k = {model.Hidden}).");
        }
    }

    private static double CentralDifference(IAutoencoder<double> model, double[] x, int i, double h)
    {
        Span<double> parameters = model.Parameters;
        double saved = parameters[i];
        parameters[i] = saved + h;
        double plus = model.Cost(x);
        parameters[i] = saved - h;
        double minus = model.Cost(x);
        parameters[i] = saved;
        return (plus - minus) / (2 * h);
    }

    internal static IAutoencoder<double> Create(string shape) => shape switch
    {
        nameof(Seed2x2) => new Seed2x2(),
        nameof(D1x1) => new D1x1(),
        nameof(D3x2) => new D3x2(),
        nameof(D8x3) => new D8x3(),
        nameof(D16x3) => new D16x3(),
        nameof(D16x20) => new D16x20(),
        nameof(D64x16) => new D64x16(),
        nameof(D100x10) => new D100x10(),
        nameof(D130x20) => new D130x20(),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "No such test model."),
    };
}
