using System;
using System.Numerics;

namespace AeGen;

/// <summary>Thresholds for anomaly scores taken from the distribution of scores on normal (training) rows.</summary>
public static class AnomalyThreshold
{
    /// <summary>
    /// The <paramref name="quantile"/> of <paramref name="scores"/>, interpolating linearly between order statistics
    /// (position q·(N − 1) in the sorted scores, NumPy's default). A row scoring above the 0.99 quantile of training rows
    /// reconstructs worse than 99% of them.
    /// </summary>
    /// <exception cref="ArgumentException">There are no scores, or one is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The quantile is outside [0, 1].</exception>
    public static T FromQuantile<T>(ReadOnlySpan<T> scores, double quantile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("scores must not be empty.", nameof(scores));
        }

        if (!(quantile >= 0 && quantile <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, $"quantile must lie in [0, 1], but it is {quantile}.");
        }

        int bad = FiniteCheck.FirstNonFinite(scores);
        if (bad >= 0)
        {
            throw new ArgumentException($"scores must be finite, but score {bad} is {scores[bad]}.", nameof(scores));
        }

        T[] sorted = scores.ToArray();
        Array.Sort(sorted);
        double position = quantile * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double fraction = position - below;
        double low = double.CreateChecked(sorted[below]);
        double high = double.CreateChecked(sorted[above]);
        return T.CreateChecked(low + ((high - low) * fraction));
    }
}
