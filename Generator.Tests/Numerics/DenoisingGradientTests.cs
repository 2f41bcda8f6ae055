using System;
using System.Linq;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Numerics;

/// <summary>
/// The denoising Backward, which reads one set of rows and scores the reconstruction against another:
/// S = 1/(2m)·Σ(target − X̂(x))². Its gradient is checked against central differences of that cost computed by
/// <see cref="ReferenceNetwork"/> in double precision (not by the model), on every kind of kernel (unrolled lanes,
/// packed rows, dense products), and with the target equal to the input it must be the plain Backward to the bit.
/// </summary>
public class DenoisingGradientTests
{
    private const double Step = 1e-4;

    public static TheoryData<string, int> Shapes => GradientTests.Shapes;

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_gradient_element_matches_central_differences_of_the_cost_against_the_target(string shape, int m)
    {
        IAutoencoder<double> model = GradientTests.Create(shape);
        TestData.Perturb(model.Parameters, 13);
        int n = model.Inputs, k = model.Hidden;
        double[] target = TestData.Rows<double>(m, n, 17);
        double[] noise = TestData.Rows<double>(m, n, 19);
        double[] x = target.Select((v, i) => v + (0.4 * (noise[i] - 0.5))).ToArray();

        var gradient = new double[model.ParameterCount];
        double cost = model.Backward(x, target, gradient);
        double[] parameters = model.Parameters.ToArray();
        Assert.Equal(ReferenceCost(parameters, x, target, n, k), cost, 1e-12);
        foreach (int i in Indices(n, k))
        {
            double numeric = ((4 * CentralDifference(parameters, x, target, n, k, i, Step / 2)) - CentralDifference(parameters, x, target, n, k, i, Step)) / 3;
            double tolerance = 1e-8 + (1e-6 * Math.Abs(numeric));
            Assert.True(
                Math.Abs(numeric - gradient[i]) <= tolerance,
                $"dS/dθ[{i}]: backward gives {gradient[i]:R}, central differences {numeric:R} (n = {n}, k = {k}).");
        }
    }

    [Theory]
    [InlineData("F2x2")]
    [InlineData("F4x4")]
    [InlineData("F8x3")]
    [InlineData("F64x16")]
    public void Float_models_match_central_differences_of_the_reference_to_float_precision(string shape)
    {
        IAutoencoder<float> model = CreateFloat(shape);
        TestData.Perturb(model.Parameters, 13);
        int n = model.Inputs, k = model.Hidden, m = 9;
        float[] target = TestData.Rows<float>(m, n, 23);
        float[] x = TestData.Rows<float>(m, n, 29);
        var gradient = new float[model.ParameterCount];
        model.Backward(x, target, gradient);

        double[] parameters = Array.ConvertAll(model.Parameters.ToArray(), v => (double)v);
        double[] xd = Array.ConvertAll(x, v => (double)v), td = Array.ConvertAll(target, v => (double)v);
        foreach (int i in Indices(n, k))
        {
            double numeric = ((4 * CentralDifference(parameters, xd, td, n, k, i, Step / 2)) - CentralDifference(parameters, xd, td, n, k, i, Step)) / 3;
            Assert.True(
                Math.Abs(numeric - gradient[i]) <= 2e-5 + (2e-4 * Math.Abs(numeric)),
                $"{shape} dS/dθ[{i}]: backward gives {gradient[i]:R}, central differences {numeric:R}.");
        }
    }

    [Theory]
    [InlineData("F2x2")]
    [InlineData("F4x4")]
    [InlineData("F8x3")]
    [InlineData("F64x16")]
    [InlineData("F130x20")]
    public void With_the_input_as_target_it_is_the_plain_backward_to_the_bit(string shape)
    {
        IAutoencoder<float> model = CreateFloat(shape);
        TestData.Perturb(model.Parameters, 3);
        float[] x = TestData.Rows<float>(300, model.Inputs, 31);
        var plain = new float[model.ParameterCount];
        var denoising = new float[model.ParameterCount];
        var shared = new float[model.ParameterCount];

        float plainCost = model.Backward(x, plain);
        float denoisingCost = model.Backward(x, x.ToArray(), denoising);
        float sharedCost = model.Backward(x, x.ToArray(), shared, maxDegreeOfParallelism: 2);

        Assert.Equal(plainCost, denoisingCost);
        Assert.Equal(plainCost, sharedCost);
        Assert.Equal(plain, denoising);
        Assert.Equal(plain, shared);
    }

    [Fact]
    public void A_target_of_another_length_is_refused_by_name_and_nothing_is_written()
    {
        var model = new F8x3();
        float[] x = TestData.Rows<float>(4, 8, 1);
        var gradient = new float[F8x3.ParameterCount];
        Array.Fill(gradient, 7f);

        var error = Assert.Throws<ArgumentException>(() => model.Backward(x, new float[24], gradient));
        Assert.Equal("target", error.ParamName);
        Assert.All(gradient, g => Assert.Equal(7f, g));
        Assert.Throws<ArgumentException>(() => new F64x16().Backward(new float[128], new float[64], new float[F64x16.ParameterCount], 2));
    }

    /// <summary>Every parameter of a small model; of a larger one (the reference is slow) 100 drawn from each tensor.</summary>
    private static int[] Indices(int n, int k)
    {
        var layout = new ParameterLayout(n, k);
        if (layout.Count <= 2000)
        {
            return Enumerable.Range(0, layout.Count).ToArray();
        }

        var random = new SplitMix64(41);
        int[] starts = [layout.W1, layout.B1, layout.W2, layout.B2, layout.W3, layout.B3, layout.Count];
        return Enumerable.Range(0, 6).SelectMany(t => Enumerable.Range(0, 100).Select(_ => starts[t] + random.NextInt(starts[t + 1] - starts[t]))).ToArray();
    }

    private static double ReferenceCost(double[] parameters, double[] x, double[] target, int n, int k)
    {
        double[] xhat = ReferenceNetwork.Forward(parameters, x, n, k);
        double sum = 0;
        for (int i = 0; i < xhat.Length; i++)
        {
            sum += (target[i] - xhat[i]) * (target[i] - xhat[i]);
        }

        return sum / (2.0 * (x.Length / n));
    }

    private static double CentralDifference(double[] parameters, double[] x, double[] target, int n, int k, int i, double h)
    {
        double saved = parameters[i];
        parameters[i] = saved + h;
        double plus = ReferenceCost(parameters, x, target, n, k);
        parameters[i] = saved - h;
        double minus = ReferenceCost(parameters, x, target, n, k);
        parameters[i] = saved;
        return (plus - minus) / (2 * h);
    }

    private static IAutoencoder<float> CreateFloat(string shape) => shape switch
    {
        "F2x2" => new F2x2(),
        "F4x4" => new F4x4(),
        "F8x3" => new F8x3(),
        "F64x16" => new F64x16(),
        "F130x20" => new F130x20(),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "No such test model."),
    };
}
