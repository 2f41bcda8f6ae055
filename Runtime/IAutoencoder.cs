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

    /// <summary>Reconstructs each row: X̂ = σ(σ(X·W1 + b1)·W2 + b2)·W3 + b3. Safe to call from several threads at once.</summary>
    /// <param name="x">m ≥ 1 rows of <see cref="Inputs"/> values, row-major.</param>
    /// <param name="xhat">Receives the m reconstructed rows (m·Inputs values).</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not whole rows, or <paramref name="xhat"/> is not the same length; nothing is written.</exception>
    void Forward(ReadOnlySpan<T> x, Span<T> xhat);

    /// <summary>Encodes each row into the bottleneck: H1 = σ(X·W1 + b1). Safe to call from several threads at once.</summary>
    /// <param name="x">m ≥ 1 rows of <see cref="Inputs"/> values, row-major.</param>
    /// <param name="code">Receives m rows of <see cref="Hidden"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not whole rows, or <paramref name="code"/> does not hold m·Hidden values; nothing is written.</exception>
    void Encode(ReadOnlySpan<T> x, Span<T> code);

    /// <summary>Decodes bottleneck rows: X̂ = σ(H1·W2 + b2)·W3 + b3. Safe to call from several threads at once.</summary>
    /// <param name="code">m ≥ 1 rows of <see cref="Hidden"/> values, as written by <see cref="Encode"/>.</param>
    /// <param name="xhat">Receives m rows of <see cref="Inputs"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not whole rows, or <paramref name="xhat"/> does not hold m·Inputs values; nothing is written.</exception>
    void Decode(ReadOnlySpan<T> code, Span<T> xhat);

    /// <summary>The cost S = 1/(2m)·Σ(X − X̂)² over the m rows of <paramref name="x"/>. Safe to call from several threads at once.</summary>
    /// <param name="x">m ≥ 1 rows of <see cref="Inputs"/> values, row-major.</param>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not whole rows.</exception>
    T Cost(ReadOnlySpan<T> x);

    /// <summary>
    /// Computes the cost S over the rows of <paramref name="x"/> and writes dS/dθ for every parameter into
    /// <paramref name="gradient"/>. Reads the parameters only, so several threads may call it at once with their own
    /// gradient buffers.
    /// </summary>
    /// <param name="x">m ≥ 1 rows of <see cref="Inputs"/> values, row-major.</param>
    /// <param name="gradient">Receives <see cref="ParameterCount"/> values in the layout of <see cref="Parameters"/>; overwritten, not added to.</param>
    /// <returns>S = 1/(2m)·Σ(X − X̂)² for the same pass.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not whole rows, or <paramref name="gradient"/> is not ParameterCount long; nothing is written.</exception>
    T Backward(ReadOnlySpan<T> x, Span<T> gradient);

    /// <summary>
    /// As <see cref="Backward(ReadOnlySpan{T}, Span{T})"/>, with each large matrix product of a larger model shared by
    /// up to <paramref name="maxDegreeOfParallelism"/> threads; a small model's pass runs on the calling thread whatever
    /// the count allows. Every element of the gradient is summed in the same order whatever the thread count, so the
    /// result is the same to the bit. This default, for implementations of other than generated models, runs on the
    /// calling thread.
    /// </summary>
    /// <param name="x">m ≥ 1 rows of <see cref="Inputs"/> values, row-major.</param>
    /// <param name="gradient">Receives <see cref="ParameterCount"/> values in the layout of <see cref="Parameters"/>; overwritten, not added to.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use, or −1 for one per core.</param>
    /// <returns>S = 1/(2m)·Σ(X − X̂)² for the same pass.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not whole rows, <paramref name="gradient"/> is not ParameterCount long, or <paramref name="maxDegreeOfParallelism"/> is neither −1 nor positive; nothing is written.</exception>
    T Backward(ReadOnlySpan<T> x, Span<T> gradient, int maxDegreeOfParallelism) => Backward(x, gradient);

    /// <summary>
    /// As <see cref="Backward(ReadOnlySpan{T}, Span{T})"/>, for a denoising autoencoder: the network reads the rows of
    /// <paramref name="x"/> (corrupted ones, say) and is scored against the rows of <paramref name="target"/> (the clean
    /// ones), S = 1/(2m)·Σ(target − X̂(x))². <c>Backward(x, x, gradient)</c> is <c>Backward(x, gradient)</c>, to the bit.
    /// Reads the parameters only, so several threads may call it at once with their own gradient buffers.
    /// </summary>
    /// <param name="x">m ≥ 1 rows of <see cref="Inputs"/> values, row-major: what the network reads.</param>
    /// <param name="target">m rows of <see cref="Inputs"/> values: what its reconstruction is compared with.</param>
    /// <param name="gradient">Receives <see cref="ParameterCount"/> values in the layout of <see cref="Parameters"/>; overwritten, not added to.</param>
    /// <returns>S = 1/(2m)·Σ(target − X̂)² for the same pass.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not whole rows, <paramref name="target"/> is not the same length, or <paramref name="gradient"/> is not ParameterCount long; nothing is written.</exception>
    T Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> target, Span<T> gradient);

    /// <summary>
    /// As <see cref="Backward(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>, with the large products of a larger model
    /// shared by up to <paramref name="maxDegreeOfParallelism"/> threads, as in
    /// <see cref="Backward(ReadOnlySpan{T}, Span{T}, int)"/>; the result is the same to the bit whatever the count. This
    /// default, for implementations of other than generated models, runs on the calling thread.
    /// </summary>
    /// <param name="x">m ≥ 1 rows of <see cref="Inputs"/> values, row-major: what the network reads.</param>
    /// <param name="target">m rows of <see cref="Inputs"/> values: what its reconstruction is compared with.</param>
    /// <param name="gradient">Receives <see cref="ParameterCount"/> values in the layout of <see cref="Parameters"/>; overwritten, not added to.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use, or −1 for one per core.</param>
    /// <returns>S = 1/(2m)·Σ(target − X̂)² for the same pass.</returns>
    /// <exception cref="ArgumentException">As the overload without a thread count, or <paramref name="maxDegreeOfParallelism"/> is neither −1 nor positive; nothing is written.</exception>
    T Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> target, Span<T> gradient, int maxDegreeOfParallelism) => Backward(x, target, gradient);
}
