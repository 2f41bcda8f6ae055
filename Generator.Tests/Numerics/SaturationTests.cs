using System;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Numerics;

/// <summary>
/// A layer whose sigmoids all saturate used to give activations of 1.6·10⁻³⁸ (σ at z = −87) and errors h(1 − h)·e
/// below float's normal range. Such subnormal values cost Intel cores a microcode assist per operation (a trained 8×3
/// model's Backward ran 2.4 times slower). Now no σ is below 2⁻⁶⁴ and errors through a sigmoid below 2⁻⁶⁴ are zero,
/// so no gradient element is subnormal, in any kernel.
/// </summary>
public class SaturationTests
{
    public static TheoryData<string> Shapes => new()
    {
        nameof(F8x3),    // unrolled, a batch row per lane
        nameof(F3x2),    // packed rows
        nameof(F12x4),   // dense, narrower than one vector
        nameof(F64x16),  // dense, whole vectors
        nameof(F130x20), // dense, with columns past the last whole vector
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_saturated_decoder_sends_back_no_subnormal_values(string shape)
    {
        (IAutoencoder<float> model, Offsets at) = Create(shape);
        model.Parameters.Slice(at.B2, model.Inputs).Fill(-100f);
        float[] gradient = Backward(model);

        AssertNoSubnormal(gradient);
        AssertTiny(gradient, at.W2, at.B2 + model.Inputs - at.W2, "dW2 and db2");
        // The output layer still learns: db3 = colsum(dX̂) is untouched by the saturation.
        Assert.Contains(gradient[at.B3..(at.B3 + model.Inputs)], v => float.IsNormal(v));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_saturated_encoder_sends_back_no_subnormal_values(string shape)
    {
        (IAutoencoder<float> model, Offsets at) = Create(shape);
        model.Parameters.Slice(at.B1, model.Hidden).Fill(-100f);
        float[] gradient = Backward(model);

        AssertNoSubnormal(gradient);
        AssertTiny(gradient, 0, at.B1 + model.Hidden, "dW1 and db1");
    }

    [Fact]
    public void A_NaN_error_is_not_flushed_to_zero()
    {
        (IAutoencoder<float> model, Offsets at) = Create(nameof(F12x4));
        model.Parameters[at.W3] = float.NaN;
        float[] gradient = Backward(model);

        Assert.True(float.IsNaN(gradient[at.B2]), $"db2[0] is {gradient[at.B2]}, expected NaN: the error through W3 is NaN.");
    }

    private static float[] Backward(IAutoencoder<float> model)
    {
        float[] x = TestData.Rows<float>(37, model.Inputs, 5);
        float[] gradient = new float[model.ParameterCount];
        model.Backward(x, gradient);
        return gradient;
    }

    private static void AssertNoSubnormal(float[] gradient)
    {
        int at = Array.FindIndex(gradient, float.IsSubnormal);
        Assert.True(at < 0, $"Gradient element {at} is subnormal ({(at < 0 ? 0 : gradient[at]):E3}); expected zero or a normal float.");
    }

    /// <summary>The gradient through a saturated layer: at most the floor of σ (2⁻⁶⁴) times ordinary errors.</summary>
    private static void AssertTiny(float[] gradient, int start, int length, string what)
    {
        for (int i = start; i < start + length; i++)
        {
            Assert.True(Math.Abs(gradient[i]) < 1e-15f, $"{what}: element {i} is {gradient[i]:E3}, expected below 1e-15 in magnitude.");
        }
    }

    /// <summary>Where each tensor starts, in the layout W1, b1, W2, b2, W3, b3.</summary>
    private readonly record struct Offsets(int W2, int B1, int B2, int W3, int B3);

    private static (IAutoencoder<float> Model, Offsets At) Create(string shape)
    {
        IAutoencoder<float> model = shape switch
        {
            nameof(F8x3) => new F8x3(),
            nameof(F3x2) => new F3x2(),
            nameof(F12x4) => new F12x4(),
            nameof(F64x16) => new F64x16(),
            nameof(F130x20) => new F130x20(),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "No such test model."),
        };
        model.Initialize(3);
        int n = model.Inputs, k = model.Hidden;
        int b1 = n * k, w2 = b1 + k, b2 = w2 + (k * n), w3 = b2 + n, b3 = w3 + (n * n);
        Assert.Equal(b3 + n, model.ParameterCount);
        return (model, new Offsets(w2, b1, b2, w3, b3));
    }
}
