using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Helps choose k before declaring <c>[Autoencoder(n, k)]</c>: trains a model of each candidate hidden size on the
/// same rows with the same options and reports each one's best validation cost, so the trade-off is seen. Too few
/// hidden units and normal rows reconstruct badly (false alarms); too many and the network learns to copy any row,
/// anomalies included (missed ones). The models are shaped at run time, on the dense kernels, so no declaration is
/// needed to try a size.
/// </summary>
public static class HiddenSizes
{
    /// <summary>
    /// The share of the gain that the suggested size must capture: of the drop in validation cost from the smallest size
    /// tried to the best, the suggestion is the smallest size that achieves at least this much. Past the data's hidden
    /// factors, more units still lower the cost a little (fitting curvature and noise), and, in relative terms, as much
    /// per step as before; the absolute gain is what ends.
    /// </summary>
    public const double SufficientShare = 0.95;

    /// <summary>Trains an <paramref name="inputs"/>-input model of each size in <paramref name="hiddenSizes"/> (ascending) and compares their validation costs.</summary>
    /// <param name="rows">The training rows, in the caller's units, as <c>Fit</c> takes them.</param>
    /// <param name="inputs">n, the values per row.</param>
    /// <param name="hiddenSizes">The candidate k, in ascending order, each from 1 to 2048.</param>
    /// <param name="options">How every candidate is trained; <see cref="TrainingOptions.ValidationRows"/> is required, since the comparison is on them.</param>
    /// <param name="seed">The seed of every candidate's initial parameters.</param>
    /// <exception cref="ArgumentException">No validation rows, no sizes, sizes not ascending or out of range, or rows <c>Fit</c> refuses.</exception>
    public static HiddenSizeReport Compare<T>(ReadOnlySpan<T> rows, int inputs, IReadOnlyList<int> hiddenSizes, TrainingOptions options, int seed = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputs, 2048);
        if (options.ValidationRows is null)
        {
            throw new ArgumentException("Comparing hidden sizes needs options.ValidationRows: the sizes are compared on rows none of them trained on.", nameof(options));
        }

        if (hiddenSizes.Count == 0)
        {
            throw new ArgumentException("hiddenSizes must name at least one size.", nameof(hiddenSizes));
        }

        for (int i = 0; i < hiddenSizes.Count; i++)
        {
            if (hiddenSizes[i] is < 1 or > 2048 || (i > 0 && hiddenSizes[i] <= hiddenSizes[i - 1]))
            {
                throw new ArgumentException(
                    $"hiddenSizes must be ascending sizes from 1 to 2048, but size {i} (counting from 0) is {hiddenSizes[i]}{(i > 0 ? $" after {hiddenSizes[i - 1]}" : string.Empty)}.", nameof(hiddenSizes));
            }
        }

        var trials = new HiddenSizeTrial[hiddenSizes.Count];
        for (int i = 0; i < trials.Length; i++)
        {
            var model = new RuntimeShapedAutoencoder<T>(inputs, hiddenSizes[i], seed);
            var clock = Stopwatch.StartNew();
            TrainingReport report = model.Fit(rows, options with { Progress = null });
            trials[i] = new HiddenSizeTrial(hiddenSizes[i], report.BestCost, model.ParameterCount, clock.Elapsed);
        }

        double worst = trials[0].ValidationCost, best = worst;
        foreach (HiddenSizeTrial trial in trials)
        {
            best = Math.Min(best, trial.ValidationCost);
        }

        double enough = best + ((1 - SufficientShare) * (worst - best));
        int suggested = trials[^1].Hidden;
        foreach (HiddenSizeTrial trial in trials)
        {
            if (trial.ValidationCost <= enough)
            {
                suggested = trial.Hidden;
                break;
            }
        }

        return new HiddenSizeReport(trials, suggested);
    }

    /// <summary>Candidate sizes for n inputs: 1, 2, 3, 4, 6, 8, 12, 16, … (about half again each step), below n.</summary>
    public static IReadOnlyList<int> Candidates(int inputs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        var sizes = new List<int>();
        for (int k = 1; k < Math.Max(inputs, 2); k = Math.Max(k + 1, k * 3 / 2))
        {
            sizes.Add(k);
        }

        return sizes;
    }
}

/// <summary>What <see cref="HiddenSizes.Compare{T}"/> found.</summary>
/// <param name="Trials">One per size tried, in ascending order of size.</param>
/// <param name="Suggested">
/// The smallest size that captures <see cref="HiddenSizes.SufficientShare"/> of the drop in validation cost from the
/// smallest size tried to the best: a compact model that reconstructs normal rows about as well as the larger ones.
/// </param>
public sealed record HiddenSizeReport(IReadOnlyList<HiddenSizeTrial> Trials, int Suggested);

/// <summary>One hidden size's result.</summary>
/// <param name="Hidden">k.</param>
/// <param name="ValidationCost">The best validation cost it reached (the cost <c>Fit</c> monitors).</param>
/// <param name="ParameterCount">Its parameters.</param>
/// <param name="Elapsed">How long it trained.</param>
public readonly record struct HiddenSizeTrial(int Hidden, double ValidationCost, int ParameterCount, TimeSpan Elapsed);
