using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// A gradient-descent rule and its hyperparameters. It holds no per-parameter state itself:
/// <see cref="CreateState{T}"/> makes the buffers (momentum, moment estimates) for one parameter vector,
/// so that one optimizer object can configure any number of training runs.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Checks and stores the base learning rate.</summary>
    /// <param name="learningRate">The step size; positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive and finite.</exception>
    protected Optimizer(double learningRate)
    {
        RequirePositive(learningRate, nameof(learningRate));
        LearningRate = learningRate;
    }

    /// <summary>The base learning rate; a <see cref="LearningRateSchedule"/> scales it per epoch.</summary>
    public double LearningRate { get; }

    /// <summary>Allocates the state for a vector of <paramref name="parameterCount"/> parameters; steps then allocate nothing.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is not positive.</exception>
    public abstract OptimizerState<T> CreateState<T>(int parameterCount)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// The rule and every hyperparameter in one line, as a trainer's checkpoint records it: a checkpoint resumes only with
    /// an optimizer that describes itself the same way, since moment estimates made under one rule mean nothing to another.
    /// Null for an optimizer defined outside this library, whose state a checkpoint cannot hold.
    /// </summary>
    internal virtual string? Describe() => null;

    /// <summary>A number as <see cref="Describe"/> writes it: round-trip, invariant.</summary>
    private protected static string Exact(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Throws unless <paramref name="value"/> is positive and finite.</summary>
    private protected static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite, but it is {value}.");
        }
    }

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1 (or ≤ 1 when <paramref name="oneAllowed"/>).</summary>
    private protected static void RequireFraction(double value, string name, bool oneAllowed = false)
    {
        bool ok = value >= 0 && (oneAllowed ? value <= 1 : value < 1);
        if (!ok)
        {
            string range = oneAllowed ? "[0, 1]" : "[0, 1)";
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in {range}, but it is {value}.");
        }
    }
}
