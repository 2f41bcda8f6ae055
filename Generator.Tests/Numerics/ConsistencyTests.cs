using System;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Numerics;

/// <summary>The generated entry points agree with each other, across precisions and batch sizes.</summary>
public class ConsistencyTests
{
    [Fact]
    public void Forward_matches_the_reference_network_at_every_tested_shape_and_at_1024x256()
    {
        foreach (IAutoencoder<double> model in new IAutoencoder<double>[] { new Seed2x2(), new D8x3(), new D16x3(), new D64x16(), new D130x20(), new D1024x256() })
        {
            TestData.Perturb(model.Parameters, 3, amplitude: 0.1);
            double[] x = TestData.Rows<double>(6, model.Inputs, 4);
            double[] xhat = new double[x.Length];
            model.Forward(x, xhat);
            double[] expected = ReferenceNetwork.Forward(model.Parameters, x, model.Inputs, model.Hidden);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - xhat[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"n = {model.Inputs}: x̂[{i}] = {xhat[i]:R}, reference {expected[i]:R}.");
            }
        }
    }

    [Fact]
    public void The_largest_supported_shape_generates_and_computes_the_reference_forward_pass()
    {
        var model = new F2048x2048();
        float[] x = TestData.Rows<float>(5, F2048x2048.Inputs, 4);
        float[] xhat = new float[x.Length];
        model.Forward(x, xhat);
        double[] expected = ReferenceNetwork.Forward(Array.ConvertAll(model.Parameters.ToArray(), v => (double)v), Array.ConvertAll(x, v => (double)v), F2048x2048.Inputs, F2048x2048.Hidden);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - xhat[i]) <= 1e-3 * Math.Max(1, Math.Abs(expected[i])), $"x̂[{i}] = {xhat[i]:R}, reference {expected[i]:R}.");
        }

        Assert.True(float.IsFinite(model.Backward(x, new float[F2048x2048.ParameterCount])));
    }

    public static TheoryData<int, int> FloatShapes => new() { { 2, 2 }, { 8, 3 }, { 16, 3 }, { 64, 16 }, { 130, 20 }, { 1024, 256 } };

    [Theory]
    [MemberData(nameof(FloatShapes))]
    public void Float_agrees_with_double_for_outputs_cost_and_gradient(int n, int k)
    {
        (IAutoencoder<float> single, IAutoencoder<double> dual) = (n, k) switch
        {
            (2, 2) => ((IAutoencoder<float>)new F2x2(), (IAutoencoder<double>)new Seed2x2()),
            (8, 3) => (new F8x3(), new D8x3()),
            (16, 3) => (new F16x3(), new D16x3()),
            (64, 16) => (new F64x16(), new D64x16()),
            (130, 20) => (new F130x20(), new D130x20()),
            _ => (new F1024x256(), new D1024x256()),
        };
        TestData.Perturb(single.Parameters, 8, amplitude: 0.05);
        for (int i = 0; i < single.ParameterCount; i++)
        {
            dual.Parameters[i] = single.Parameters[i];
        }

        float[] xf = TestData.Rows<float>(7, n, 2);
        double[] xd = Array.ConvertAll(xf, v => (double)v);
        var outF = new float[xf.Length];
        var outD = new double[xd.Length];
        single.Forward(xf, outF);
        dual.Forward(xd, outD);
        for (int i = 0; i < outF.Length; i++)
        {
            Assert.True(Math.Abs(outF[i] - outD[i]) <= 1e-4 * Math.Max(1, Math.Abs(outD[i])), $"x̂[{i}]: float {outF[i]:R}, double {outD[i]:R}.");
        }

        var gF = new float[single.ParameterCount];
        var gD = new double[dual.ParameterCount];
        float costF = single.Backward(xf, gF);
        double costD = dual.Backward(xd, gD);
        Assert.True(Math.Abs(costF - costD) <= 1e-4 * Math.Max(1, costD), $"cost: float {costF:R}, double {costD:R}.");
        double scale = 0;
        foreach (double g in gD)
        {
            scale = Math.Max(scale, Math.Abs(g));
        }

        for (int i = 0; i < gF.Length; i++)
        {
            Assert.True(Math.Abs(gF[i] - gD[i]) <= 1e-4 * scale, $"dS/dθ[{i}]: float {gF[i]:R}, double {gD[i]:R} (largest |g| {scale:R}).");
        }
    }

    [Fact]
    public void Forward_equals_Encode_then_Decode()
    {
        foreach (IAutoencoder<float> model in new IAutoencoder<float>[] { new F2x2(), new F8x3(), new F16x3(), new F64x16(), new F130x20() })
        {
            float[] x = TestData.Rows<float>(6, model.Inputs, 5);
            var direct = new float[x.Length];
            var code = new float[6 * model.Hidden];
            var decoded = new float[x.Length];
            model.Forward(x, direct);
            model.Encode(x, code);
            model.Decode(code, decoded);
            Assert.Equal(direct, decoded);
            Assert.All(code, c => Assert.InRange(c, 0f, 1f));
        }
    }

    [Fact]
    public void A_batch_gives_the_same_rows_as_its_rows_one_at_a_time()
    {
        foreach (IAutoencoder<float> model in new IAutoencoder<float>[] { new F2x2(), new F8x3(), new F64x16(), new F130x20() })
        {
            const int M = 9;
            int n = model.Inputs;
            float[] x = TestData.Rows<float>(M, n, 6);
            var batch = new float[x.Length];
            model.Forward(x, batch);
            var gradientBatch = new float[model.ParameterCount];
            float costBatch = model.Backward(x, gradientBatch);

            var sumOfRowGradients = new double[model.ParameterCount];
            double sumOfRowCosts = 0;
            var rowGradient = new float[model.ParameterCount];
            for (int r = 0; r < M; r++)
            {
                var one = new float[n];
                model.Forward(x.AsSpan(r * n, n), one);
                Assert.Equal(batch.AsSpan(r * n, n).ToArray(), one);
                sumOfRowCosts += model.Backward(x.AsSpan(r * n, n), rowGradient);
                for (int i = 0; i < rowGradient.Length; i++)
                {
                    sumOfRowGradients[i] += rowGradient[i];
                }
            }

            // S and its gradient over m rows are the means of the one-row values, up to float rounding of sums in
            // another order (a few units in the last place of S, whose size depends on the model).
            double meanOfRows = sumOfRowCosts / M;
            Assert.True(Math.Abs(meanOfRows - costBatch) <= 1e-6 * Math.Max(1, Math.Abs(meanOfRows)), $"S: batch {costBatch:R}, mean of rows {meanOfRows:R}.");
            for (int i = 0; i < gradientBatch.Length; i++)
            {
                Assert.True(Math.Abs((sumOfRowGradients[i] / M) - gradientBatch[i]) <= 1e-5, $"dS/dθ[{i}]: batch {gradientBatch[i]:R}, mean of rows {sumOfRowGradients[i] / M:R}.");
            }
        }
    }

    [Fact]
    public void Full_batch_gradient_descent_lowers_the_cost_at_every_step()
    {
        foreach (IAutoencoder<double> model in new IAutoencoder<double>[] { new Seed2x2(), new D8x3(), new D64x16() })
        {
            double[] x = TestData.Rows<double>(20, model.Inputs, 12);
            var gradient = new double[model.ParameterCount];
            double previous = model.Backward(x, gradient);
            double first = previous;
            for (int step = 0; step < 200; step++)
            {
                Span<double> parameters = model.Parameters;
                for (int i = 0; i < parameters.Length; i++)
                {
                    parameters[i] -= 0.05 * gradient[i];
                }

                double cost = model.Backward(x, gradient);
                Assert.True(cost < previous, $"n = {model.Inputs}: step {step} raised the cost from {previous:R} to {cost:R}.");
                previous = cost;
            }

            Assert.True(previous < 0.5 * first, $"n = {model.Inputs}: 200 steps only took the cost from {first:R} to {previous:R}.");
        }
    }
}
