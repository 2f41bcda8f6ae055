using System;
using System.Collections.Generic;

namespace AeGen;

/// <summary>The outcome of <see cref="AutoencoderTraining.Fit{T}(IAutoencoder{T}, ReadOnlySpan{T}, TrainingOptions)"/>.</summary>
/// <param name="Epochs">One report per completed epoch, in order.</param>
/// <param name="StopReason">Why the fit ended.</param>
/// <param name="BestEpoch">The epoch with the lowest monitored cost (validation cost if given, else training cost); 0 if none completed.</param>
/// <param name="BestCost">That lowest cost, or +∞ if no epoch completed.</param>
/// <param name="Message">One sentence saying how the fit ended and which parameters the model now holds.</param>
/// <param name="Elapsed">Wall-clock time of the fit.</param>
public sealed record TrainingReport(
    IReadOnlyList<EpochReport> Epochs,
    StopReason StopReason,
    int BestEpoch,
    double BestCost,
    string Message,
    TimeSpan Elapsed)
{
    /// <summary>What the fit noticed about its input that is likely to hurt the model, one sentence each with its fix; empty when nothing was.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
