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
        Check(parameters.Length, gradient.Length, learningRate);
        Steps++;
        Apply(parameters, gradient, learningRate, Steps);
    }

    /// <summary>
    /// As <see cref="Step(Span{T}, ReadOnlySpan{T}, double)"/>, with the element-wise update of a long vector shared by
    /// up to <paramref name="maxDegreeOfParallelism"/> threads where the state supports it; each element's update is
    /// the same whoever computes it. Fit steps this way.
    /// </summary>
    internal void Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate, int maxDegreeOfParallelism)
    {
        Check(parameters.Length, gradient.Length, learningRate);
        Steps++;
        ApplyShared(parameters, gradient, learningRate, Steps, maxDegreeOfParallelism);
    }

    /// <summary>Forgets all history (momentum, moments, step count), as if just created.</summary>
    public void Reset()
    {
        Steps = 0;
        ClearBuffers();
    }

    /// <summary>The update rule; the spans have the right length and <paramref name="step"/> starts at 1.</summary>
    protected abstract void Apply(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate, long step);

    /// <summary>The update rule on up to <paramref name="maxDegreeOfParallelism"/> threads; by default on this one.</summary>
    internal virtual void ApplyShared(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate, long step, int maxDegreeOfParallelism) =>
        Apply(parameters, gradient, learningRate, step);

    private void Check(int parameters, int gradient, double learningRate)
    {
        if (parameters != ParameterCount)
        {
            throw new ArgumentException($"parameters must have length {ParameterCount}, but its length is {parameters}.", nameof(parameters));
        }

        if (gradient != ParameterCount)
        {
            throw new ArgumentException($"gradient must have length {ParameterCount}, but its length is {gradient}.", nameof(gradient));
        }

        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"learningRate must be finite and not negative, but it is {learningRate}.");
        }
    }

    /// <summary>Zeroes every buffer.</summary>
    protected abstract void ClearBuffers();

    /// <summary>
    /// The per-parameter buffers by name, for a trainer's checkpoint (only the first <see cref="ParameterCount"/>
    /// elements of each belong to the state); none for a rule without history.
    /// </summary>
    internal virtual (string Name, T[] Values)[] Buffers() => [];

    /// <summary>Numbers besides the step count and the buffers that the next steps depend on (Adam's running powers).</summary>
    internal virtual double[] Scalars
    {
        get => [];
        set { }
    }

    /// <summary>Takes on a saved history: the step count, the scalars and each buffer's first <see cref="ParameterCount"/> elements.</summary>
    internal void Restore(long steps, double[] scalars, Func<string, ReadOnlySpan<T>> buffer)
    {
        Steps = steps;
        Scalars = scalars;
        foreach ((string name, T[] values) in Buffers())
        {
            buffer(name).CopyTo(values);
        }
    }

    /// <summary>
    /// Gives buffers rented from the shared array pool back to it; the state must not be used afterwards. Fit calls it
    /// when it is done with the state it made: a state of a large model holds megabytes, and allocating them anew for
    /// every call made the collector run full collections, whose thread competed with the training threads.
    /// </summary>
    internal virtual void ReturnBuffers()
    {
    }
}
