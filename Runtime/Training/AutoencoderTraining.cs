using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;

namespace AeGen;

/// <summary>Training by mini-batch gradient descent, available on every generated model.</summary>
public static partial class AutoencoderTraining
{
    /// <summary>Mixed into the shuffle seed so that shuffle seed s and initialization seed s draw different streams.</summary>
    private const ulong ShuffleStream = 0x6A09E667F3BCC909UL;

    /// <summary>
    /// Trains the model on a table's rows once they are checked to be n wide (the message names the columns that were
    /// read); otherwise as <see cref="Fit{T}(IAutoencoder{T}, ReadOnlySpan{T}, TrainingOptions)"/>.
    /// </summary>
    /// <returns>What happened; see <see cref="TrainingReport.StopReason"/> for which parameters the model holds afterwards.</returns>
    /// <exception cref="ArgumentException">The rows are not n wide or hold a value that is not finite; an option is out of range. The model is unchanged.</exception>
    public static TrainingReport Fit<T>(this IAutoencoder<T> model, RowTable<T> rows, TrainingOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        rows.RequireWidth(model.Inputs, nameof(rows));
        return model.Fit(rows.Values.Span, options);
    }

    /// <summary>
    /// Trains the model on the m rows of <paramref name="rows"/> (m·n values), starting from its current parameters;
    /// a span knows only its length, so rows of another width that happen to divide it are not caught here: a
    /// <see cref="RowTable{T}"/> (from <see cref="CsvRows.Read{T}"/>) is. Each epoch shuffles the rows with one
    /// generator stream seeded by <see cref="TrainingOptions.Seed"/>, visits them in mini-batches (the last one partial)
    /// and steps the optimizer once per batch.
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
        FiniteCheck.RequireRows(rows, n, nameof(rows));
        ValidateOptions(options);

        // 1. The rows in the units the network sees, and the validation rows in the same units.
        FeatureScaler? scaler = options.Scaling == ScalerKind.None ? model.Scaler : FeatureScaler.Fit(options.Scaling, rows, n);
        T[]? scaledRows = null;
        if (scaler is not null)
        {
            scaledRows = new T[rows.Length];
            scaler.Transform(rows, scaledRows);
            rows = scaledRows;
        }

        T[]? validation = ValidationRows<T>(options, n, scaler);

        // 2. Epochs until one ends the fit; 3. the parameters and report that the way it ended calls for.
        using var run = new FitRun<T>(model, Math.Min(options.BatchSize, m), options);
        if (scaler is not null)
        {
            // Set even if training stops early: the parameters were trained on scaled rows.
            model.Scaler = scaler;
        }

        string? unscaled = null;
        if (scaler is null)
        {
            var ranges = new ColumnStatistics(n, moments: false);
            ranges.Add(rows);
            unscaled = UnscaledRanges(ranges);
        }

        var epochs = new SpanEpochs<T>(rows, m);
        FitEnd end = run.RunEpochs(ref epochs, validation);
        TrainingReport report = run.Finish(end);
        return unscaled is null ? report : report with { Warnings = [unscaled] };
    }

    /// <summary>
    /// Columns whose ranges differ this much, trained unscaled, leave the narrow ones to the rounding of the wide ones'
    /// errors: the cost is a sum over columns.
    /// </summary>
    internal const double UnscaledRangeRatio = 1000;

    /// <summary>A warning when the rows go in unscaled and their columns' ranges differ by more than <see cref="UnscaledRangeRatio"/>; else null.</summary>
    private static string? UnscaledRanges(ColumnStatistics ranges)
    {
        ReadOnlySpan<double> low = ranges.Low, high = ranges.High;
        int n = ranges.Columns;

        // Constant columns have no range to compare.
        int widest = -1, narrowest = -1;
        for (int j = 0; j < n; j++)
        {
            double range = high[j] - low[j];
            if (range > 0)
            {
                widest = widest < 0 || range > high[widest] - low[widest] ? j : widest;
                narrowest = narrowest < 0 || range < high[narrowest] - low[narrowest] ? j : narrowest;
            }
        }

        if (widest < 0)
        {
            return null;
        }

        double wide = high[widest] - low[widest], narrow = high[narrowest] - low[narrowest];
        if (wide <= UnscaledRangeRatio * narrow)
        {
            return null;
        }

        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return string.Create(invariant,
            $"The rows were trained unscaled, and their columns' ranges differ by a factor of {wide / narrow:G3} (column {widest + 1} spans {wide:G4}, column {narrowest + 1} {narrow:G4}, counting from 1): the wide columns dominate the cost and the narrow ones are barely learned. Set TrainingOptions.Scaling = ScalerKind.MinMax (or Standard).");
    }

    /// <summary>The validation rows, checked and scaled like the training rows, or null when there are none.</summary>
    private static T[]? ValidationRows<T>(TrainingOptions options, int n, FeatureScaler? scaler)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.ValidationRows is not DataRows given)
        {
            return null;
        }

        given.RequireWidth(n, "options.ValidationRows");
        ReadOnlySpan<T> raw = given.As<T>("options.ValidationRows").Span;
        Internals.ShapeGuard.Rows(raw.Length, n, "options.ValidationRows");
        FiniteCheck.RequireRows(raw, n, "options.ValidationRows");
        T[] validation = raw.ToArray();
        scaler?.Transform<T>(validation, validation);
        return validation;
    }

    /// <summary>How the epochs ended: the reason, and for <see cref="StopReason.NonFinite"/> what went non-finite.</summary>
    private readonly record struct FitEnd(StopReason Reason, string? Problem = null);

    /// <summary>What one epoch's steps came to: the cost summed over its rows and their number, or the reason it could not finish.</summary>
    private readonly record struct EpochSteps(double CostSum, long Rows, FitEnd? End = null);

    /// <summary>Where an epoch's mini-batches come from: rows in memory, or a stream of blocks through a shuffle buffer.</summary>
    private interface IEpochSource<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>One epoch's mini-batches, each handed to <see cref="FitRun{T}.Batch"/> in turn.</summary>
        EpochSteps Run(FitRun<T> run, int epoch, double rate);
    }

    /// <summary>
    /// Rows in memory: each epoch a fresh Fisher–Yates shuffle of the row order (continuing from the last epoch's),
    /// visited in mini-batches, the last one partial.
    /// </summary>
    private ref struct SpanEpochs<T>(ReadOnlySpan<T> rows, int count) : IEpochSource<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ReadOnlySpan<T> _rows = rows;
        private readonly int[] _order = Identity(count);

        public readonly EpochSteps Run(FitRun<T> run, int epoch, double rate)
        {
            Shuffle(_order, ref run.Random);
            double costSum = 0;
            for (int start = 0; start < _order.Length; start += run.BatchSize)
            {
                int batchRows = Math.Min(run.BatchSize, _order.Length - start);
                if (run.Batch(_rows, _order.AsSpan(start, batchRows), epoch, rate, ref costSum) is FitEnd end)
                {
                    return new EpochSteps(costSum, start, end);
                }
            }

            return new EpochSteps(costSum, _order.Length);
        }
    }

    /// <summary>0, 1, …, count − 1.</summary>
    private static int[] Identity(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        return order;
    }

    /// <summary>
    /// One fit's state: the optimizer, the shuffle, the best and last finite parameters, the epoch reports. Everything
    /// the steps need is allocated here, once (the parameter-length buffers from the shared pool, returned on dispose).
    /// </summary>
    private sealed class FitRun<T> : IDisposable
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly IAutoencoder<T> _model;
        private readonly TrainingOptions _options;
        private readonly T[] _gradient, _best, _lastGood;
        private readonly ShardedGradient<T> _evaluator;
        private readonly OptimizerState<T> _optimizer;
        private readonly List<EpochReport> _epochs;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private SplitMix64 _random;

        // Steps taken: with the seed, what fixes each step's input noise.
        private long _steps;

        // The early-stopping record: the lowest monitored cost so far, its epoch, and the epochs since.
        private double _bestCost = double.PositiveInfinity;
        private int _bestEpoch;
        private int _sinceBest;

        /// <param name="model">The model trained.</param>
        /// <param name="batchSize">The largest mini-batch, in rows.</param>
        /// <param name="options">The options, checked.</param>
        public FitRun(IAutoencoder<T> model, int batchSize, TrainingOptions options)
        {
            _model = model;
            _options = options;
            BatchSize = batchSize;
            int count = model.ParameterCount;
            _gradient = ArrayPool<T>.Shared.Rent(count);
            _best = ArrayPool<T>.Shared.Rent(count);
            _lastGood = ArrayPool<T>.Shared.Rent(count);
            model.Parameters.CopyTo(_best);
            model.Parameters.CopyTo(_lastGood);
            _evaluator = new ShardedGradient<T>(model, batchSize, options.MaxDegreeOfParallelism, options.InputNoise);
            _optimizer = options.Optimizer.CreateState<T>(count);
            _random = new SplitMix64(unchecked((ulong)(uint)options.Seed) ^ ShuffleStream);
            _epochs = new List<EpochReport>(options.Epochs);
        }

        /// <summary>The largest mini-batch, in rows.</summary>
        public int BatchSize { get; }

        /// <summary>The one generator stream every epoch's shuffle draws from, in order.</summary>
        public ref SplitMix64 Random => ref _random;

        private Span<T> Gradient => _gradient.AsSpan(0, _model.ParameterCount);

        /// <summary>Runs epochs until the last, early stopping, cancellation or a value that is not finite.</summary>
        public FitEnd RunEpochs<TSource>(ref TSource source, T[]? validation)
            where TSource : IEpochSource<T>, allows ref struct
        {
            for (int epoch = 1; epoch <= _options.Epochs; epoch++)
            {
                double rate = Rate(epoch);
                EpochSteps steps = source.Run(this, epoch, rate);
                if (steps.End is FitEnd stopped)
                {
                    return stopped;
                }

                FitEnd? end = EndOfEpoch(epoch, rate, steps.CostSum / steps.Rows, validation);
                if (end is FitEnd ended)
                {
                    return ended;
                }
            }

            return new FitEnd(StopReason.Completed);
        }

        /// <summary>The learning rate of an epoch (1 for the first), from the schedule if there is one.</summary>
        private double Rate(int epoch)
        {
            double rate = _options.Schedule?.Rate(_options.Optimizer.LearningRate, epoch - 1, _options.Epochs) ?? _options.Optimizer.LearningRate;
            if (!(rate >= 0) || !double.IsFinite(rate))
            {
                throw new InvalidOperationException($"The learning-rate schedule returned {rate} for epoch {epoch}; a rate must be finite and not negative.");
            }

            return rate;
        }

        /// <summary>
        /// One mini-batch, the rows of <paramref name="rows"/> that <paramref name="indices"/> names: its gradient and an
        /// optimizer step, its cost added to <paramref name="costSum"/> (weighted by its rows). Not null when the fit must
        /// end before it: cancellation, or a cost or gradient that is not finite (then no step is taken).
        /// </summary>
        public FitEnd? Batch(ReadOnlySpan<T> rows, ReadOnlySpan<int> indices, int epoch, double rate, ref double costSum)
        {
            if (_options.CancellationToken.IsCancellationRequested)
            {
                return new FitEnd(StopReason.Cancelled);
            }

            T cost = _evaluator.Compute(rows, indices, Gradient, _options.Seed, _steps++);
            if (!T.IsFinite(cost))
            {
                return NonFinite($"the cost of a mini-batch in epoch {epoch} was {cost}");
            }

            int bad = FiniteCheck.FirstNonFinite<T>(Gradient);
            if (bad >= 0)
            {
                return NonFinite($"gradient element {bad} in epoch {epoch} was {Gradient[bad]}");
            }

            _optimizer.Step(_model.Parameters, Gradient, rate, _options.MaxDegreeOfParallelism);
            costSum += double.CreateChecked(cost) * indices.Length;
            return null;
        }

        /// <summary>
        /// After an epoch's steps: the parameters and the monitored cost (validation if given, else training) must be
        /// finite; the parameters become the last good ones, and the best ones if the cost improved; the epoch is
        /// reported; patience may run out. Null when training goes on.
        /// </summary>
        private FitEnd? EndOfEpoch(int epoch, double rate, double trainingCost, T[]? validation)
        {
            Span<T> parameters = _model.Parameters;
            int badParameter = FiniteCheck.FirstNonFinite<T>(parameters);
            if (badParameter >= 0)
            {
                return NonFinite($"parameter {badParameter} became {parameters[badParameter]} in epoch {epoch}");
            }

            double? validationCost = validation is null ? null : double.CreateChecked(_model.Cost(validation));
            double monitored = validationCost ?? trainingCost;
            if (!double.IsFinite(monitored))
            {
                return NonFinite($"the {(validationCost is null ? "training" : "validation")} cost of epoch {epoch} was {monitored}");
            }

            parameters.CopyTo(_lastGood);
            if (monitored < _bestCost)
            {
                (_bestCost, _bestEpoch, _sinceBest) = (monitored, epoch, 0);
                parameters.CopyTo(_best);
            }
            else
            {
                _sinceBest++;
            }

            var report = new EpochReport(epoch, trainingCost, validationCost, rate, _clock.Elapsed);
            _epochs.Add(report);
            _options.Progress?.Report(report);
            return _options.Patience is int patience && _sinceBest >= patience ? new FitEnd(StopReason.EarlyStopped) : null;
        }

        /// <summary>The parameters the way the fit ended calls for, and the report that says so.</summary>
        public TrainingReport Finish(FitEnd end)
        {
            int completed = _epochs.Count;
            string message;
            switch (end.Reason)
            {
                case StopReason.NonFinite:
                    _lastGood.AsSpan(0, _model.ParameterCount).CopyTo(_model.Parameters);
                    message = $"Training stopped because {end.Problem}; the model holds the last finite parameters, "
                        + (completed == 0 ? "those it started with." : $"from the end of epoch {completed}.");
                    break;
                case StopReason.Cancelled:
                    _best.AsSpan(0, _model.ParameterCount).CopyTo(_model.Parameters);
                    message = "Training was cancelled; the model holds "
                        + (_bestEpoch == 0 ? "the parameters it started with." : $"the best parameters so far, from epoch {_bestEpoch}.");
                    break;
                case StopReason.EarlyStopped:
                    _best.AsSpan(0, _model.ParameterCount).CopyTo(_model.Parameters);
                    message = $"Training stopped early after epoch {completed}: no improvement for {_options.Patience} epochs; the model holds the best parameters, from epoch {_bestEpoch}.";
                    break;
                default:
                    message = $"Training completed {completed} epochs; the model holds the parameters after the last step (the best epoch was {_bestEpoch}).";
                    break;
            }

            return new TrainingReport(_epochs, end.Reason, _bestEpoch, _bestCost, message, _clock.Elapsed);
        }

        public void Dispose()
        {
            _evaluator.Dispose();
            _optimizer.ReturnBuffers();
            ArrayPool<T>.Shared.Return(_gradient);
            ArrayPool<T>.Shared.Return(_best);
            ArrayPool<T>.Shared.Return(_lastGood);
        }

        private static FitEnd NonFinite(string problem) => new(StopReason.NonFinite, problem);
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

        if (options.ShuffleBufferRows <= 0)
        {
            throw new ArgumentException($"options.ShuffleBufferRows must be positive, but it is {options.ShuffleBufferRows}.", nameof(options));
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
