using System;

namespace AeGen;

/// <summary>What one epoch achieved. Costs are S = 1/(2m)·Σ(X − X̂)², in scaled units when a scaler is used.</summary>
/// <param name="Epoch">1 for the first epoch.</param>
/// <param name="TrainingCost">The mean over the epoch's mini-batches of the cost before each step, weighted by batch size.</param>
/// <param name="ValidationCost">The cost of the validation rows after the epoch, or null without validation rows.</param>
/// <param name="LearningRate">The learning rate used in this epoch.</param>
/// <param name="Elapsed">Time since the fit started.</param>
public sealed record EpochReport(int Epoch, double TrainingCost, double? ValidationCost, double LearningRate, TimeSpan Elapsed);
