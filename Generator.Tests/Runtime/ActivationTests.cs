using System;
using System.Runtime.Intrinsics;
using AeGen.Internals;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>The SIMD sigmoid against σ computed in double with Math.Exp.</summary>
public class ActivationTests
{
    [Fact]
    public void Single_precision_vector_sigmoid_is_within_a_few_ulps_of_the_double_result()
    {
        double worst = 0;
        float worstAt = 0;
        for (int i = -2_000_000; i <= 2_000_000; i += 8)
        {
            Vector256<float> z = Vector256.Create(i * 5e-5f) + Vector256.Create(0f, 6e-6f, 1.2e-5f, 1.8e-5f, 2.4e-5f, 3e-5f, 3.6e-5f, 4.2e-5f);
            Vector256<float> s = Activation.Sigmoid(z);
            for (int lane = 0; lane < 8; lane++)
            {
                double exact = 1 / (1 + Math.Exp(-(double)z[lane]));
                // Below z = −87, σ < 1.7·10⁻³⁸ leaves float's normal range: judged by absolute error there.
                double error = z[lane] >= -87 ? Math.Abs(s[lane] - exact) / exact : Math.Abs(s[lane] - exact) / 1e-30;
                if (error > worst)
                {
                    (worst, worstAt) = (error, z[lane]);
                }
            }
        }

        Assert.True(worst < 5e-7, $"relative error {worst:E2} at z = {worstAt:R}");
    }

    [Theory]
    [InlineData(-1000f, 0f)]
    [InlineData(-90f, 0f)]
    [InlineData(float.NegativeInfinity, 0f)]
    [InlineData(float.PositiveInfinity, 1f)]
    [InlineData(90f, 1f)]
    [InlineData(1000f, 1f)]
    [InlineData(0f, 0.5f)]
    public void Single_precision_vector_sigmoid_saturates_cleanly(float z, float expected)
    {
        float s = Activation.Sigmoid(Vector256.Create(z))[3];
        Assert.True(Math.Abs(s - expected) < 2e-38 + (1e-7 * expected), $"σ({z}) = {s:R}");
        Assert.True(float.IsFinite(s));
    }
}
