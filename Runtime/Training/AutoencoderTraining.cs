using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;

namespace AeGen;

/// <summary>Training by mini-batch gradient descent, available on every generated model.</summary>
public static class AutoencoderTraining
{
    /// <summary>Mixed into the shuffle seed so that shuffle seed s and initialization seed s draw different streams.</summary>
    private const ulong ShuffleStream = 0x6A09E667F3BCC909UL;

    /// <summary>
    /// Trains the model on the m rows of <paramref name="rows"/> (m·n values), starting from its current parameters.
    /// Each epoch shuffles the rows with one generator stream seeded by <see cref="TrainingOptions.Seed"/>,
    /// visits them in mini-batches (the last one partial) and steps the optimizer once per batch.
    /// The same model start, rows and options give bit-identical parameters for any thread count, on every machine whose
    /// widest accelerated vector and fused multiply-add support are the same (docs/training.md says why not across them).
    /// Rows are given in the caller's units: with <see cref="TrainingOptions.Scaling"/> a new scaler is fitted on them and
    /// set as the model's <see cref="IAutoencoder{T}.Scaler"/>; without it, the model's scaler (for example from Load) is applied.
    /// </summary>
    /// <returns>What happened; see <see cref="TrainingReport.StopReason"/> for which parameters the model holds afterwards.</returns>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values or hold a value that is not finite; an option is out of range. The model is unchanged.</exception>
    public static TrainingReport Fit<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, TrainingOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        int n = model.Inputs;
        int m = Internals.ShapeGuard.Rows(rows.Length, n, nameof(rows));
        RequireFinite(rows, n, nameof(rows));
        ValidateOptions(options);

        // A new scaler when asked for; otherwise the model's own (a loaded model keeps training in its own units).
        FeatureScaler? scaler = options.Scaling == ScalerKind.None ? model.Scaler : FeatureScaler.Fit(options.Scaling, rows, n);
        T[]? scaledRows = null;
        if (scaler is not null)
        {
            scaledRows = new T[rows.Length];
            scaler.Transform(rows, scaledRows);
            rows = scaledRows;
        }

        T[]? validation = null;
        if (options.ValidationRows is DataRows given)
        {
            ReadOnlySpan<T> raw = given.As<T>("options.ValidationRows").Span;
            Internals.ShapeGuard.Rows(raw.Length, n, "options.ValidationRows");
            RequireFinite(raw, n, "options.ValidationRows");
            validation = raw.ToArray();
            scaler?.Transform<T>(validation, validation);
        }

        // Everything the loop needs is allocated here, once.
        Span<T> parameters = model.Parameters;
        int count = model.ParameterCount;
        int batchSize = Math.Min(options.BatchSize, m);
        var order = new int[m];
        for (int i = 0; i < m; i++)
        {
            order[i] = i;
        }

        // The buffers of parameter length come from the shared pool, so that repeated Fits of a large model do not
        // allocate megabytes each time (and then pay for full collections); they are given back at the end.
        T[] gradientBuffer = ArrayPool<T>.Shared.Rent(count), bestBuffer = ArrayPool<T>.Shared.Rent(count), lastGoodBuffer = ArrayPool<T>.Shared.Rent(count);
        Span<T> gradient = gradientBuffer.AsSpan(0, count), best = bestBuffer.AsSpan(0, count), lastGood = lastGoodBuffer.AsSpan(0, count);
        parameters.CopyTo(best);
        parameters.CopyTo(lastGood);
        OptimizerState<T>? optimizer = null;
        try
        {
            using var evaluator = new ShardedGradient<T>(model, batchSize, options.MaxDegreeOfParallelism);
            optimizer = options.Optimizer.CreateState<T>(count);
            var random = new SplitMix64(unchecked((ulong)(uint)options.Seed) ^ ShuffleStream);
            var epochs = new List<EpochReport>(options.Epochs);
            var clock = Stopwatch.StartNew();

            // The scaler is set even if training stops early: the parameters were trained on scaled rows.
            if (scaler is not null)
            {
                model.Scaler = scaler;
            }

            double bestCost = double.PositiveInfinity;
            int bestEpoch = 0;
            int sinceBest = 0;
            StopReason reason = StopReason.Completed;
            string? problem = null;

            for (int epoch = 0; epoch < options.Epochs && problem is null && reason == StopReason.Completed; epoch++)
            {
                double rate = options.Schedule?.Rate(options.Optimizer.LearningRate, epoch, options.Epochs) ?? options.Optimizer.LearningRate;
                if (!(rate >= 0) || !double.IsFinite(rate))
                {
                    throw new InvalidOperationException($"The learning-rate schedule returned {rate} for epoch {epoch + 1}; a rate must be finite and not negative.");
                }

                Shuffle(order, ref random);
                double costSum = 0;
                for (int start = 0; start < m; start += batchSize)
                {
                    if (options.CancellationToken.IsCancellationRequested)
                    {
                        reason = StopReason.Cancelled;
                        break;
                    }

                    int batchRows = Math.Min(batchSize, m - start);
                    T cost = evaluator.Compute(rows, order.AsSpan(start, batchRows), gradient);
                    if (!T.IsFinite(cost))
                    {
                        problem = $"the cost of a mini-batch in epoch {epoch + 1} was {cost}";
                        break;
                    }

                    int bad = FiniteCheck.FirstNonFinite<T>(gradient);
                    if (bad >= 0)
                    {
                        problem = $"gradient element {bad} in epoch {epoch + 1} was {gradient[bad]}";
                        break;
                    }

                    optimizer.Step(parameters, gradient, rate, options.MaxDegreeOfParallelism);
                    costSum += double.CreateChecked(cost) * batchRows;
                }

                if (problem is not null || reason != StopReason.Completed)
                {
                    break;
                }

                int badParameter = FiniteCheck.FirstNonFinite<T>(parameters);
                if (badParameter >= 0)
                {
                    problem = $"parameter {badParameter} became {parameters[badParameter]} in epoch {epoch + 1}";
                    break;
                }

                double trainingCost = costSum / m;
                double? validationCost = validation is null ? null : double.CreateChecked(model.Cost(validation));
                double monitored = validationCost ?? trainingCost;
                if (!double.IsFinite(monitored))
                {
                    problem = $"the {(validationCost is null ? "training" : "validation")} cost of epoch {epoch + 1} was {monitored}";
                    break;
                }

                parameters.CopyTo(lastGood);
                if (monitored < bestCost)
                {
                    bestCost = monitored;
                    bestEpoch = epoch + 1;
                    sinceBest = 0;
                    parameters.CopyTo(best);
                }
                else
                {
                    sinceBest++;
                }

                var report = new EpochReport(epoch + 1, trainingCost, validationCost, rate, clock.Elapsed);
                epochs.Add(report);
                options.Progress?.Report(report);
                if (options.Patience is int patience && sinceBest >= patience)
                {
                    reason = StopReason.EarlyStopped;
                }
            }

            string message;
            if (problem is not null)
            {
                reason = StopReason.NonFinite;
                lastGood.CopyTo(parameters);
                message = $"Training stopped because {problem}; the model holds the last finite parameters, "
                    + (epochs.Count == 0 ? "those it started with." : $"from the end of epoch {epochs.Count}.");
            }
            else if (reason == StopReason.Cancelled)
            {
                best.CopyTo(parameters);
                message = "Training was cancelled; the model holds "
                    + (bestEpoch == 0 ? "the parameters it started with." : $"the best parameters so far, from epoch {bestEpoch}.");
            }
            else if (reason == StopReason.EarlyStopped)
            {
                best.CopyTo(parameters);
                message = $"Training stopped early after epoch {epochs.Count}: no improvement for {options.Patience} epochs; the model holds the best parameters, from epoch {bestEpoch}.";
            }
            else
            {
                message = $"Training completed {epochs.Count} epochs; the model holds the parameters after the last step (the best epoch was {bestEpoch}).";
            }

            return new TrainingReport(epochs, reason, bestEpoch, bestCost, message, clock.Elapsed);
        }
        finally
        {
            optimizer?.ReturnBuffers();
            ArrayPool<T>.Shared.Return(gradientBuffer);
            ArrayPool<T>.Shared.Return(bestBuffer);
            ArrayPool<T>.Shared.Return(lastGoodBuffer);
        }
    }

    /// <summary>Fisher–Yates, from the deterministic generator.</summary>
    private static void Shuffle(int[] order, ref SplitMix64 random)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    private static void RequireFinite<T>(ReadOnlySpan<T> rows, int n, string argument)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int bad = FiniteCheck.FirstNonFinite(rows);
        if (bad >= 0)
        {
            throw new ArgumentException($"{argument} must hold finite values, but row {bad / n}, column {bad % n} is {rows[bad]}.", argument);
        }
    }

    private static void ValidateOptions(TrainingOptions options)
    {
        if (options.Epochs <= 0)
        {
            throw new ArgumentException($"options.Epochs must be positive, but it is {options.Epochs}.", nameof(options));
        }

        if (options.BatchSize <= 0)
        {
            throw new ArgumentException($"options.BatchSize must be positive, but it is {options.BatchSize}.", nameof(options));
        }

        if (options.Optimizer is null)
        {
            throw new ArgumentException("options.Optimizer must be set, but it is null.", nameof(options));
        }

        if (options.Patience is int patience && patience <= 0)
        {
            throw new ArgumentException($"options.Patience must be positive or null, but it is {patience}.", nameof(options));
        }

        if (options.MaxDegreeOfParallelism == 0 || options.MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentException($"options.MaxDegreeOfParallelism must be positive or −1 (all cores), but it is {options.MaxDegreeOfParallelism}.", nameof(options));
        }

        if (!Enum.IsDefined(options.Scaling))
        {
            throw new ArgumentException($"options.Scaling must be None, MinMax or Standard, but it is {options.Scaling}.", nameof(options));
        }
    }
}
