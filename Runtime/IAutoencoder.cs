using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// What every generated autoencoder offers, so that training, data and checkpoint code can work with any shape.
/// The generated class implements it; its own members carry the shape as constants.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IAutoencoder<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>n, the number of values in one sample.</summary>
    int Inputs { get; }

    /// <summary>k, the number of units in the bottleneck.</summary>
    int Hidden { get; }

    /// <summary>The number of parameters: n·k + k + k·n + n + n·n + n.</summary>
    int ParameterCount { get; }

    /// <summary>Every parameter, contiguous, in the order W1, b1, W2, b2, W3, b3 (matrices row-major).</summary>
    Span<T> Parameters { get; }

    /// <summary>
    /// The scaler the model's inputs pass through, or null when it sees raw values: part of what the model is, like its
    /// parameters. <c>Fit</c> with <see cref="TrainingOptions.Scaling"/> sets it, <c>Load</c> sets or clears it from
    /// the checkpoint, <c>Save</c> writes it, and scoring and reconstruction apply it. The generated methods
    /// (<see cref="Forward"/>, <see cref="Backward(ReadOnlySpan{T}, Span{T})"/>, …) compute in the scaled space and do
    /// not apply it themselves.
    /// </summary>
    /// <exception cref="ArgumentException">Set to a scaler whose column count is not <see cref="Inputs"/>.</exception>
    FeatureScaler? Scaler { get; set; }

    /// <summary>Sets every parameter from <paramref name="seed"/>: Glorot-uniform weights, zero biases.</summary>
    void Initialize(int seed);

    /// <summary>Reconstructs the m rows of <paramref name="x"/> (m·n values) into <paramref name="xhat"/> (m·n values).</summary>
    void Forward(ReadOnlySpan<T> x, Span<T> xhat);

    /// <summary>Writes the bottleneck activations h1 (m·k values) of the m rows of <paramref name="x"/> into <paramref name="code"/>.</summary>
    void Encode(ReadOnlySpan<T> x, Span<T> code);

    /// <summary>Reconstructs m rows (m·n values) from m codes (m·k values).</summary>
    void Decode(ReadOnlySpan<T> code, Span<T> xhat);

    /// <summary>The cost S = 1/(2m)·Σ(X − X̂)² over the m rows of <paramref name="x"/>.</summary>
    T Cost(ReadOnlySpan<T> x);

    /// <summary>Writes dS/dθ for every parameter into <paramref name="gradient"/> (length <see cref="ParameterCount"/>) and returns S.</summary>
    T Backward(ReadOnlySpan<T> x, Span<T> gradient);

    /// <summary>
    /// As <see cref="Backward(ReadOnlySpan{T}, Span{T})"/>, with the large matrix products of larger models shared by up
    /// to <paramref name="maxDegreeOfParallelism"/> threads (−1: one per core). The result is the same to the bit
    /// whatever the thread count. Generated models implement it; this default runs on the calling thread.
    /// </summary>
    T Backward(ReadOnlySpan<T> x, Span<T> gradient, int maxDegreeOfParallelism) => Backward(x, gradient);
}
