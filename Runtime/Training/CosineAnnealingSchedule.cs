using System;

namespace AeGen;

/// <summary>
/// Half a cosine from the base rate down towards <see cref="MinimumRate"/> over the whole fit, like PyTorch's
/// <c>CosineAnnealingLR</c> with T_max = epochs: η_e = η_min + (η − η_min)·(1 + cos(π·e / epochs)) / 2.
/// </summary>
public sealed class CosineAnnealingSchedule : LearningRateSchedule
{
    /// <summary>Configures the schedule.</summary>
    /// <param name="minimumRate">η_min, finite and not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">The minimum is negative or not finite.</exception>
    public CosineAnnealingSchedule(double minimumRate = 0)
    {
        if (!(minimumRate >= 0) || !double.IsFinite(minimumRate))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumRate), minimumRate, $"minimumRate must be finite and not negative, but it is {minimumRate}.");
        }

        MinimumRate = minimumRate;
    }

    /// <summary>η_min, the rate the curve approaches at the end.</summary>
    public double MinimumRate { get; }

    /// <inheritdoc/>
    public override double Rate(double baseRate, int epoch, int epochs) =>
        MinimumRate + ((baseRate - MinimumRate) * (1 + Math.Cos(Math.PI * epoch / epochs)) / 2);
}
