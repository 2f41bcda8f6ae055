using System;
using System.Runtime.Intrinsics;
using AeGen.Internals;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>The SIMD sigmoid, at each vector width, against σ computed in double with Math.Exp.</summary>
public class ActivationTests
{
    public static TheoryData<int> Widths => new() { 128, 256, 512 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Single_precision_vector_sigmoid_is_within_a_few_ulps_of_the_double_result(int bits)
    {
        int lanes = bits / 32;
        double worst = 0;
        float worstAt = 0;
        var z = new float[lanes];
        for (int i = -2_000_000; i <= 2_000_000; i += lanes)
        {
            for (int lane = 0; lane < lanes; lane++)
            {
                z[lane] = (i * 5e-5f) + (lane * 6e-6f);
            }

            float[] s = Sigmoid(bits, z);
            for (int lane = 0; lane < lanes; lane++)
            {
                // σ of z clamped to ±64·ln 2, as documented: no activation below 2⁻⁶⁴ (the saturation test below
                // checks that the clamp keeps σ that close to 0 and 1).
                double clamped = Math.Clamp(z[lane], -Activation.FloatSaturation, Activation.FloatSaturation);
                double exact = 1 / (1 + Math.Exp(-clamped));
                double error = Math.Abs(s[lane] - exact) / exact;
                if (error > worst)
                {
                    (worst, worstAt) = (error, z[lane]);
                }
            }
        }

        Assert.True(worst < 5e-7, $"{bits} bits: relative error {worst:E2} at z = {worstAt:R}");
    }

    [Theory]
    [InlineData(-1000f, 0f)]
    [InlineData(-90f, 0f)]
    [InlineData(-45f, 0f)]
    [InlineData(float.NegativeInfinity, 0f)]
    [InlineData(float.PositiveInfinity, 1f)]
    [InlineData(90f, 1f)]
    [InlineData(1000f, 1f)]
    [InlineData(0f, 0.5f)]
    public void Single_precision_vector_sigmoid_saturates_cleanly(float z, float expected)
    {
        foreach (int bits in new[] { 128, 256, 512 })
        {
            float s = Sigmoid(bits, [z, z, z, z])[3];
            Assert.True(Math.Abs(s - expected) < 5.43e-20 + (1e-7 * expected), $"{bits} bits: σ({z}) = {s:R}, expected within 2⁻⁶⁴ of {expected}");
            Assert.True(float.IsFinite(s));
        }
    }

    [Fact]
    public void A_NaN_lane_gives_NaN_and_leaves_the_other_lanes_alone()
    {
        foreach (int bits in new[] { 128, 256, 512 })
        {
            float[] s = Sigmoid(bits, [0f, float.NaN, 2f, -3f]);
            Assert.True(float.IsNaN(s[1]), $"{bits} bits: σ(NaN) = {s[1]:R}");
            Assert.Equal(0.5f, s[0]);
            Assert.True(Math.Abs(s[2] - (1 / (1 + Math.Exp(-2.0)))) < 1e-7, $"{bits} bits: σ(2) = {s[2]:R}");
            Assert.True(Math.Abs(s[3] - (1 / (1 + Math.Exp(3.0)))) < 1e-7, $"{bits} bits: σ(−3) = {s[3]:R}");
        }
    }

    [Fact]
    public void Gradients_are_flushed_below_the_smallest_activation()
    {
        // The constants are written as products of 2⁻⁶⁴; Math.ScaleB derives the same powers of two another way.
        Assert.Equal(MathF.ScaleB(1f, -64), Activation.FlushBelow<float>());
        Assert.Equal(Math.ScaleB(1d, -512), Activation.FlushBelow<double>());
        // A saturated σ is about 2⁻⁶⁴: its gradient times an error of 2 is kept, times an error of ¼ flushed.
        float smallest = Activation.Sigmoid(-Activation.FloatSaturation);
        Assert.InRange(smallest, MathF.ScaleB(0.99f, -64), MathF.ScaleB(1.01f, -64));
        Assert.NotEqual(0f, Activation.SigmoidGradient(smallest, 2f));
        Assert.Equal(0f, Activation.SigmoidGradient(smallest, 0.25f));
    }

    /// <summary>σ of <paramref name="z"/>'s first lanes through the overload <paramref name="bits"/> wide (other lanes zero).</summary>
    private static float[] Sigmoid(int bits, float[] z)
    {
        var buffer = new float[16];
        z.CopyTo(buffer, 0);
        float[] result = new float[z.Length];
        switch (bits)
        {
            case 128:
                Activation.Sigmoid(Vector128.Create(buffer.AsSpan(0, 4))).CopyTo(buffer);
                break;
            case 256:
                Activation.Sigmoid(Vector256.Create(buffer.AsSpan(0, 8))).CopyTo(buffer);
                break;
            default:
                Activation.Sigmoid(Vector512.Create(buffer.AsSpan(0, 16))).CopyTo(buffer);
                break;
        }

        Array.Copy(buffer, result, z.Length);
        return result;
    }
}
