using System;

namespace AeGen;

/// <summary>
/// Multiplies the rate by <see cref="Factor"/> every <see cref="StepEpochs"/> epochs, like PyTorch's <c>StepLR</c>:
/// η_e = η·factor^⌊e / step⌋ for zero-based epoch e.
/// </summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Configures the decay.</summary>
    /// <param name="stepEpochs">Epochs between two decays, positive.</param>
    /// <param name="factor">The multiplier applied at each decay, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public StepDecaySchedule(int stepEpochs, double factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepEpochs);
        if (!(factor > 0 && factor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"factor must lie in (0, 1], but it is {factor}.");
        }

        StepEpochs = stepEpochs;
        Factor = factor;
    }

    /// <summary>Epochs between two decays.</summary>
    public int StepEpochs { get; }

    /// <summary>The multiplier applied at each decay.</summary>
    public double Factor { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, int epoch, int epochs) => baseRate * Math.Pow(Factor, epoch / StepEpochs);
}
