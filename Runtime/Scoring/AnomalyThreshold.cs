using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Thresholds for anomaly scores: a row is anomalous when its score is above the threshold. Three ways to choose one:
/// a quantile of the scores of normal rows (<see cref="FromQuantile{T}"/>), the share of anomalies expected among the
/// rows scored (<see cref="FromContamination{T}"/>), or rows a person has labelled (<see cref="FromLabels{T}(ReadOnlySpan{T}, ReadOnlySpan{bool})"/>).
/// </summary>
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

        RequireFinite(scores);
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

    /// <summary>
    /// The threshold above which <paramref name="expectedShare"/> of <paramref name="scores"/> lie: their
    /// (1 − expectedShare) quantile, as <see cref="FromQuantile{T}"/> interpolates it. Use it when the rows scored hold
    /// anomalies and about how many is known (pyod calls that share the contamination): 0.02 flags the 2% that
    /// reconstruct worst.
    /// </summary>
    /// <exception cref="ArgumentException">There are no scores, or one is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The share is not strictly between 0 and 1.</exception>
    public static T FromContamination<T>(ReadOnlySpan<T> scores, double expectedShare)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(expectedShare > 0 && expectedShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(expectedShare), expectedShare, $"expectedShare must lie strictly between 0 and 1 (0.02 for 2% anomalies), but it is {expectedShare}.");
        }

        return FromQuantile(scores, 1 - expectedShare);
    }

    /// <summary>
    /// The threshold that best separates the rows labelled anomalous from the others: of every threshold that flags a
    /// different set of these rows, the one with the highest F1 score (the harmonic mean of precision and recall),
    /// the highest of them where several tie. The result says what precision and recall it reaches on these rows.
    /// </summary>
    /// <param name="scores">Scores of the labelled rows.</param>
    /// <param name="anomalous">For each score, whether a person judged its row anomalous.</param>
    /// <exception cref="ArgumentException">
    /// The lengths differ, a score is not finite, or the labels do not include both an anomalous and a normal row.
    /// </exception>
    public static LabelledThreshold<T> FromLabels<T>(ReadOnlySpan<T> scores, ReadOnlySpan<bool> anomalous)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Sweep(scores, anomalous, minimumRecall: double.NaN);

    /// <summary>
    /// The highest threshold that still flags at least <paramref name="minimumRecall"/> of the rows labelled anomalous
    /// (0.95: at most one incident in twenty missed); of the thresholds that do, it raises the fewest false alarms on
    /// these rows. The result says what precision and recall it reaches on them.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The lengths differ, a score is not finite, or the labels do not include both an anomalous and a normal row.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The recall asked for is not in (0, 1].</exception>
    public static LabelledThreshold<T> FromLabels<T>(ReadOnlySpan<T> scores, ReadOnlySpan<bool> anomalous, double minimumRecall)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(minimumRecall > 0 && minimumRecall <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumRecall), minimumRecall, $"minimumRecall must lie in (0, 1], but it is {minimumRecall}.");
        }

        return Sweep(scores, anomalous, minimumRecall);
    }

    /// <summary>How <paramref name="threshold"/> does on labelled rows: the rows it flags (score above it) counted against the labels.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static LabelledThreshold<T> Evaluate<T>(ReadOnlySpan<T> scores, ReadOnlySpan<bool> anomalous, T threshold)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLabels(scores, anomalous);

        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool flagged = scores[i] > threshold;
            truePositives += flagged && anomalous[i] ? 1 : 0;
            falsePositives += flagged && !anomalous[i] ? 1 : 0;
            falseNegatives += !flagged && anomalous[i] ? 1 : 0;
        }

        return new LabelledThreshold<T>(threshold, truePositives, falsePositives, falseNegatives);
    }

    /// <summary>
    /// Walks the rows from the highest score down, flagging one more group of equal scores at each step, and keeps the
    /// step with the best F1 (or the first that reaches the recall asked for). A step's threshold lies between its
    /// lowest flagged score and the next lower one, so that "score above the threshold" flags exactly that group.
    /// </summary>
    private static LabelledThreshold<T> Sweep<T>(ReadOnlySpan<T> scores, ReadOnlySpan<bool> anomalous, double minimumRecall)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLabels(scores, anomalous);

        RequireFinite(scores);
        int positives = 0;
        foreach (bool label in anomalous)
        {
            positives += label ? 1 : 0;
        }

        if (positives == 0 || positives == scores.Length)
        {
            throw new ArgumentException(
                $"anomalous must label at least one row anomalous and one normal, but {positives} of the {scores.Length} rows are labelled anomalous.", nameof(anomalous));
        }

        int[] order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        T[] keys = scores.ToArray();
        Array.Sort(keys, order);
        int truePositives = 0, flagged = 0;
        int bestFlagged = -1, bestTruePositives = 0;
        double bestF1 = -1;
        // From the highest score down; i is the lowest flagged position once the group of equal scores is complete.
        for (int i = keys.Length - 1; i >= 0; i--)
        {
            flagged++;
            truePositives += anomalous[order[i]] ? 1 : 0;
            if (i > 0 && keys[i - 1] == keys[i])
            {
                continue;
            }

            if (double.IsNaN(minimumRecall))
            {
                double f1 = 2.0 * truePositives / (flagged + positives);
                if (f1 > bestF1)
                {
                    (bestF1, bestFlagged, bestTruePositives) = (f1, flagged, truePositives);
                }
            }
            else if ((double)truePositives / positives >= minimumRecall)
            {
                (bestFlagged, bestTruePositives) = (flagged, truePositives);
                break;
            }
        }

        int lowestFlagged = keys.Length - bestFlagged;
        T threshold = lowestFlagged == 0 ? T.BitDecrement(keys[0]) : Between(keys[lowestFlagged - 1], keys[lowestFlagged]);
        return new LabelledThreshold<T>(threshold, bestTruePositives, bestFlagged - bestTruePositives, positives - bestTruePositives);
    }

    /// <summary>A value v with below ≤ v &lt; above: the midpoint where it falls strictly between, else below.</summary>
    private static T Between<T>(T below, T above)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T middle = below + ((above - below) / T.CreateChecked(2));
        return middle > below && middle < above ? middle : below;
    }

    private static void RequireLabels<T>(ReadOnlySpan<T> scores, ReadOnlySpan<bool> anomalous)
    {
        if (anomalous.Length != scores.Length)
        {
            throw new ArgumentException($"anomalous must hold one label per score ({scores.Length}), but it holds {anomalous.Length}.", nameof(anomalous));
        }
    }

    private static void RequireFinite<T>(ReadOnlySpan<T> scores)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int bad = FiniteCheck.FirstNonFinite(scores);
        if (bad >= 0)
        {
            string found = T.IsPositiveInfinity(scores[bad]) ? "+∞ (a row holding a value that is not finite scores +∞)"
                : T.IsNegativeInfinity(scores[bad]) ? "−∞" : "NaN";
            throw new ArgumentException($"scores must be finite, but score {bad} (counting from 0) is {found}.", nameof(scores));
        }
    }
}

/// <summary>
/// A threshold chosen on labelled rows, and how it does on them: <see cref="Precision"/> is the share of flagged rows
/// that are labelled anomalous, <see cref="Recall"/> the share of rows labelled anomalous that it flags.
/// </summary>
/// <typeparam name="T">The scores' precision.</typeparam>
/// <param name="Threshold">Rows scoring above it are anomalous.</param>
/// <param name="TruePositives">Rows labelled anomalous that score above the threshold.</param>
/// <param name="FalsePositives">Rows labelled normal that score above the threshold.</param>
/// <param name="FalseNegatives">Rows labelled anomalous that do not.</param>
public readonly record struct LabelledThreshold<T>(T Threshold, int TruePositives, int FalsePositives, int FalseNegatives)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>TP / (TP + FP): of the rows flagged, the share labelled anomalous.</summary>
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN): of the rows labelled anomalous, the share flagged.</summary>
    public double Recall => (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>The harmonic mean of <see cref="Precision"/> and <see cref="Recall"/>, 2·TP / (2·TP + FP + FN).</summary>
    public double F1 => 2.0 * TruePositives / ((2.0 * TruePositives) + FalsePositives + FalseNegatives);
}
