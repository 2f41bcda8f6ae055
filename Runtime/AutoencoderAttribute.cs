using System;

namespace AeGen;

/// <summary>
/// Turns a <c>partial class</c> into an autoencoder with <paramref name="inputs"/> inputs (n) and
/// <paramref name="hidden"/> units in the bottleneck (k). The AeGen source generator writes the forward pass,
/// the cost and the gradients for exactly that shape into the class at compile time.
/// </summary>
/// <param name="inputs">n, the number of values in one sample (one row of the data).</param>
/// <param name="hidden">k, the number of units in the bottleneck layer.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class AutoencoderAttribute(int inputs, int hidden) : Attribute
{
    /// <summary>n, the number of values in one sample.</summary>
    public int Inputs { get; } = inputs;

    /// <summary>k, the number of units in the bottleneck layer.</summary>
    public int Hidden { get; } = hidden;

    /// <summary>The floating-point type of parameters and data: <see cref="AeGen.Precision.Single"/> (float) unless set.</summary>
    public Precision Precision { get; set; } = Precision.Single;
}
