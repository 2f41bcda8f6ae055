using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// The per-parameter buffers of one optimizer for one parameter vector, and the update rule that uses them.
/// Made by <see cref="Optimizer.CreateState{T}"/>; a step allocates nothing.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class OptimizerState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Remembers the length of the parameter vector the state belongs to.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is not positive.</exception>
    protected OptimizerState(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        ParameterCount = parameterCount;
    }

    /// <summary>The length of the parameter and gradient vectors this state accepts.</summary>
    public int ParameterCount { get; }

    /// <summary>The number of steps taken so far (t in the update formulas, 1 during the first step).</summary>
    public long Steps { get; private set; }

    /// <summary>Moves <paramref name="parameters"/> one step against <paramref name="gradient"/> at <paramref name="learningRate"/>.</summary>
    /// <exception cref="ArgumentException">A span's length is not <see cref="ParameterCount"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate)
    {
        if (parameters.Length != ParameterCount)
        {
            throw new ArgumentException($"parameters must have length {ParameterCount}, but its length is {parameters.Length}.", nameof(parameters));
        }

        if (gradient.Length != ParameterCount)
        {
            throw new ArgumentException($"gradient must have length {ParameterCount}, but its length is {gradient.Length}.", nameof(gradient));
        }

        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"learningRate must be finite and not negative, but it is {learningRate}.");
        }

        Steps++;
        Apply(parameters, gradient, learningRate, Steps);
    }

    /// <summary>Forgets all history (momentum, moments, step count), as if just created.</summary>
    public void Reset()
    {
        Steps = 0;
        ClearBuffers();
    }

    /// <summary>The update rule; the spans have the right length and <paramref name="step"/> starts at 1.</summary>
    protected abstract void Apply(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate, long step);

    /// <summary>Zeroes every buffer.</summary>
    protected abstract void ClearBuffers();
}
