using System;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Numerics;

/// <summary>
/// Models whose rows are short enough for several to share one 512-bit vector (n, k ≤ 4 in float, ≤ 2 in double) run
/// Forward, Encode, Decode, Cost and (where n, k are 1, 2 or 4) Backward on packed rows where Vector512 is
/// accelerated, and on one row per lane elsewhere (CI repeats these tests with 256-bit vectors). Either way they must
/// match the reference network, and gradients its central differences, for every batch size around a group's size,
/// and write nothing outside the output rows.
/// </summary>
public class PackedRowTests
{
    private const float Sentinel = -12345f;
    private const int Guard = 19;

    public static TheoryData<string> FloatModels => new() { "F2x2", "F3x2", "F4x4" };

    public static TheoryData<string> DoubleModels => new() { "Seed2x2", "D1x1" };

    private static readonly int[] BatchSizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 64, 67];

    [Theory]
    [MemberData(nameof(FloatModels))]
    public void Float_inference_matches_the_reference_at_every_batch_size_and_stays_inside_its_output(string name)
    {
        IAutoencoder<float> model = CreateFloat(name);
        TestData.Perturb(model.Parameters, 21, amplitude: 0.5);
        double[] parameters = Array.ConvertAll(model.Parameters.ToArray(), v => (double)v);
        int n = model.Inputs, k = model.Hidden;
        foreach (int m in BatchSizes)
        {
            float[] x = TestData.Rows<float>(m, n, (ulong)(100 + m));
            double[] xd = Array.ConvertAll(x, v => (double)v);
            double[] expected = ReferenceNetwork.Forward(parameters, xd, n, k);
            double[] expectedCode = ReferenceNetwork.Encode(parameters, xd, n, k);

            float[] framedX = BetweenNaNs(x);

            float[] xhat = Run(m * n, output => model.Forward(framedX.AsSpan(Guard, m * n), output));
            AssertClose(expected, xhat, 2e-5, $"{name} Forward, m = {m}");

            float[] code = Run(m * k, output => model.Encode(framedX.AsSpan(Guard, m * n), output));
            AssertClose(expectedCode, code, 2e-6, $"{name} Encode, m = {m}");

            float[] decoded = Run(m * n, output => model.Decode(code, output));
            Assert.Equal(xhat, decoded);

            double cost = ReferenceNetwork.Cost(parameters, xd, n, k);
            float actual = model.Cost(framedX.AsSpan(Guard, m * n));
            Assert.True(Math.Abs(actual - cost) <= 2e-5 * Math.Max(1, cost), $"{name} Cost, m = {m}: {actual:R}, reference {cost:R}.");
        }
    }

    [Theory]
    [MemberData(nameof(DoubleModels))]
    public void Double_inference_matches_the_reference_at_every_batch_size(string name)
    {
        IAutoencoder<double> model = CreateDouble(name);
        TestData.Perturb(model.Parameters, 22, amplitude: 0.5);
        int n = model.Inputs, k = model.Hidden;
        foreach (int m in BatchSizes)
        {
            double[] x = TestData.Rows<double>(m, n, (ulong)(200 + m));
            double[] expected = ReferenceNetwork.Forward(model.Parameters, x, n, k);
            var xhat = new double[m * n];
            model.Forward(x, xhat);
            var code = new double[m * k];
            model.Encode(x, code);
            double[] expectedCode = ReferenceNetwork.Encode(model.Parameters, x, n, k);
            for (int i = 0; i < xhat.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - xhat[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"{name} m = {m}: x̂[{i}] = {xhat[i]:R}, reference {expected[i]:R}.");
            }

            for (int i = 0; i < code.Length; i++)
            {
                Assert.True(Math.Abs(expectedCode[i] - code[i]) <= 1e-12, $"{name} m = {m}: code[{i}] = {code[i]:R}, reference {expectedCode[i]:R}.");
            }

            double cost = ReferenceNetwork.Cost(model.Parameters, x, n, k);
            Assert.True(Math.Abs(model.Cost(x) - cost) <= 1e-12 * Math.Max(1, cost), $"{name} Cost, m = {m}.");
        }
    }

    [Theory]
    [MemberData(nameof(FloatModels))]
    public void Float_backward_matches_central_differences_of_the_reference_cost_at_every_batch_size(string name)
    {
        IAutoencoder<float> model = CreateFloat(name);
        TestData.Perturb(model.Parameters, 23, amplitude: 0.5);
        double[] parameters = Array.ConvertAll(model.Parameters.ToArray(), v => (double)v);
        int n = model.Inputs, k = model.Hidden;
        foreach (int m in BatchSizes)
        {
            float[] x = TestData.Rows<float>(m, n, (ulong)(300 + m));
            double[] xd = Array.ConvertAll(x, v => (double)v);
            float[] framedX = BetweenNaNs(x);

            float cost = 0;
            float[] gradient = Run(model.ParameterCount, output => cost = model.Backward(framedX.AsSpan(Guard, m * n), output));
            double[] expected = ReferenceGradient(parameters, xd, n, k);
            for (int i = 0; i < gradient.Length; i++)
            {
                Assert.True(
                    Math.Abs(expected[i] - gradient[i]) <= 1e-6 + (1e-4 * Math.Abs(expected[i])),
                    $"{name} m = {m}: dS/dθ[{i}] = {gradient[i]:R}, central differences {expected[i]:R}.");
            }

            double reference = ReferenceNetwork.Cost(parameters, xd, n, k);
            Assert.True(Math.Abs(cost - reference) <= 2e-5 * Math.Max(1, reference), $"{name} Backward's cost, m = {m}: {cost:R}, reference {reference:R}.");
        }
    }

    [Theory]
    [MemberData(nameof(DoubleModels))]
    public void Double_backward_matches_central_differences_of_the_reference_cost_at_every_batch_size(string name)
    {
        IAutoencoder<double> model = CreateDouble(name);
        TestData.Perturb(model.Parameters, 24, amplitude: 0.5);
        double[] parameters = model.Parameters.ToArray();
        int n = model.Inputs, k = model.Hidden;
        foreach (int m in BatchSizes)
        {
            double[] x = TestData.Rows<double>(m, n, (ulong)(400 + m));
            var gradient = new double[model.ParameterCount];
            double cost = model.Backward(x, gradient);
            double[] expected = ReferenceGradient(parameters, x, n, k);
            for (int i = 0; i < gradient.Length; i++)
            {
                Assert.True(
                    Math.Abs(expected[i] - gradient[i]) <= 1e-8 + (1e-6 * Math.Abs(expected[i])),
                    $"{name} m = {m}: dS/dθ[{i}] = {gradient[i]:R}, central differences {expected[i]:R}.");
            }

            Assert.Equal(ReferenceNetwork.Cost(parameters, x, n, k), cost, 1e-12);
        }
    }

    [Fact]
    public void Short_rowed_models_carry_the_packed_kernels_and_longer_rowed_ones_do_not()
    {
        // What the theories above covered: on a machine where Vector512 is accelerated these models ran the packed
        // kernels, elsewhere the lane-per-row code (or the 256-bit packed kernels below), which every model carries.
        // Backward too where every width divides a 128-bit vector's lanes (its column sums fold halves); not at 3×2.
        // Run is Forward, Encode, Decode and Cost, generic over the pass.
        Assert.Equal(["Backward", "Run"], Kernels(typeof(F2x2)));
        Assert.Equal(["Run"], Kernels(typeof(F3x2)));
        Assert.Equal(["Backward", "Run"], Kernels(typeof(F4x4)));
        Assert.Equal(["Backward", "Run"], Kernels(typeof(D1x1)));
        Assert.Empty(Kernels(typeof(F8x3)));
        Assert.Empty(Kernels(typeof(D3x2)));
        // Where four rows fit in 256 bits too (n and k at most 2 in float, 1 in double), inference has packed kernels
        // of that width for machines whose widest accelerated vectors those are; Backward there keeps a row per lane.
        Assert.Equal(["Run"], Kernels(typeof(F2x2), 256));
        Assert.Equal(["Run"], Kernels(typeof(D1x1), 256));
        Assert.Empty(Kernels(typeof(F3x2), 256));
        Assert.Empty(Kernels(typeof(F4x4), 256));

        static string[] Kernels(Type model, int bits = 512)
        {
            Type? packed = Models.GeneratedKernels.Of(model)?.GetNestedType("Packed" + bits, System.Reflection.BindingFlags.NonPublic);
            string[] names = packed is null ? [] : Array.ConvertAll(packed.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static), m => m.Name);
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
    }

    /// <summary>
    /// dS/dθ of the reference network by central differences in double precision at steps h and h/2, combined
    /// (Richardson) so that the h² error term cancels.
    /// </summary>
    private static double[] ReferenceGradient(double[] parameters, double[] x, int n, int k)
    {
        const double Step = 1e-4;
        var gradient = new double[parameters.Length];
        var shifted = (double[])parameters.Clone();
        for (int i = 0; i < parameters.Length; i++)
        {
            gradient[i] = ((4 * Difference(i, Step / 2)) - Difference(i, Step)) / 3;
        }

        return gradient;

        double Difference(int i, double h)
        {
            shifted[i] = parameters[i] + h;
            double plus = ReferenceNetwork.Cost(shifted, x, n, k);
            shifted[i] = parameters[i] - h;
            double minus = ReferenceNetwork.Cost(shifted, x, n, k);
            shifted[i] = parameters[i];
            return (plus - minus) / (2 * h);
        }
    }

    private static IAutoencoder<float> CreateFloat(string name) => name switch
    {
        "F2x2" => new F2x2(),
        "F3x2" => new F3x2(),
        _ => new F4x4(),
    };

    private static IAutoencoder<double> CreateDouble(string name) => name == "Seed2x2" ? new Seed2x2() : new D1x1();

    /// <summary>
    /// <paramref name="x"/> with <see cref="Guard"/> NaNs on each side: a kernel that let a value past the last row
    /// into its results would show it.
    /// </summary>
    private static float[] BetweenNaNs(float[] x)
    {
        float[] framed = new float[Guard + x.Length + Guard];
        framed.AsSpan().Fill(float.NaN);
        x.CopyTo(framed, Guard);
        return framed;
    }

    private delegate void Writer(Span<float> output);

    /// <summary>
    /// Runs <paramref name="write"/> on the middle of a larger buffer and checks that the values on both sides are
    /// untouched: the kernels' last group ends inside a vector, and whatever follows the output rows is someone's data.
    /// </summary>
    private static float[] Run(int length, Writer write)
    {
        var framed = new float[Guard + length + Guard];
        framed.AsSpan().Fill(Sentinel);
        write(framed.AsSpan(Guard, length));
        for (int i = 0; i < Guard; i++)
        {
            Assert.True(framed[i] == Sentinel, $"Element {i - Guard} before the output was overwritten.");
            Assert.True(framed[Guard + length + i] == Sentinel, $"Element {i} after the output was overwritten.");
        }

        return framed.AsSpan(Guard, length).ToArray();
    }

    private static void AssertClose(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"{what}: [{i}] = {actual[i]:R}, reference {expected[i]:R}.");
        }
    }
}
