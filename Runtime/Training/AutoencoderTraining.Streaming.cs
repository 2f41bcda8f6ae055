using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;

namespace AeGen;

public static partial class AutoencoderTraining
{
    /// <summary>
    /// Trains the model on rows that arrive in blocks, for data larger than memory: <paramref name="blocks"/> is
    /// enumerated once per epoch (<see cref="CsvRows.ReadBlocks{T}(string, CsvOptions?, int)"/> reads its file again
    /// each time), and a block need stay valid only until the next is asked for. Rows are mixed across blocks by a
    /// shuffle buffer of <see cref="TrainingOptions.ShuffleBufferRows"/> rows, so memory is bounded by the options,
    /// never by the data; the next blocks are read on another thread while the current mini-batches train. With
    /// <see cref="TrainingOptions.Scaling"/> the scaler is fitted in one extra pass before the first epoch. Validation,
    /// early stopping, the schedule, progress, cancellation and the stop on values that are not finite work as in
    /// <see cref="Fit{T}(IAutoencoder{T}, ReadOnlySpan{T}, TrainingOptions)"/>, and given the same rows in one block
    /// with a buffer that holds them all, this gives the same parameters bit for bit.
    /// </summary>
    /// <returns>What happened; see <see cref="TrainingReport.StopReason"/> for which parameters the model holds afterwards.</returns>
    /// <exception cref="ArgumentException">
    /// A block is not whole rows of n values or holds a value that is not finite (the message names the block, the row
    /// of the stream and the column), the stream holds no rows, or an option is out of range. Whatever the
    /// enumeration throws (a <see cref="CsvDataException"/> naming a file's line and column, say) is passed on. On any
    /// exception the model's parameters and scaler are as they were before the call.
    /// </exception>
    public static TrainingReport Fit<T>(this IAutoencoder<T> model, IEnumerable<ReadOnlyMemory<T>> blocks, TrainingOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        int n = model.Inputs;
        if ((long)options.ShuffleBufferRows * n > Array.MaxLength)
        {
            throw new ArgumentException(
                $"options.ShuffleBufferRows times n = {n} must be at most {Array.MaxLength:N0} values (one array), but it is {(long)options.ShuffleBufferRows * n:N0}.",
                nameof(options));
        }

        T[] startParameters = model.Parameters.ToArray();
        FeatureScaler? startScaler = model.Scaler;
        try
        {
            FeatureScaler? scaler = options.Scaling == ScalerKind.None ? model.Scaler : FitScaler(model, blocks, options.Scaling);
            T[]? validation = ValidationRows<T>(options, n, scaler);
            var epochs = new StreamEpochs<T>(blocks, n, scaler, options.ShuffleBufferRows, options.BatchSize, keepRanges: scaler is null);
            using var run = new FitRun<T>(model, options.BatchSize, options);
            if (scaler is not null)
            {
                model.Scaler = scaler;
            }

            FitEnd end = run.RunEpochs(ref epochs, validation);
            TrainingReport report = run.Finish(end);
            string? unscaled = epochs.Ranges is ColumnStatistics ranges ? UnscaledRanges(ranges) : null;
            return unscaled is null ? report : report with { Warnings = [unscaled] };
        }
        catch
        {
            startParameters.CopyTo(model.Parameters);
            model.Scaler = startScaler;
            throw;
        }
    }

    /// <summary>The pass before the first epoch that fits a scaler of <paramref name="kind"/> on every row of the stream.</summary>
    private static FeatureScaler FitScaler<T>(IAutoencoder<T> model, IEnumerable<ReadOnlyMemory<T>> blocks, ScalerKind kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = model.Inputs;
        var statistics = new ColumnStatistics(n, moments: kind == ScalerKind.Standard);
        var reader = new BlockChecker(n);
        foreach (ReadOnlyMemory<T> block in ReadAhead.Blocks(blocks, 0))
        {
            reader.Check(block.Span);
            statistics.Add(block.Span);
        }

        reader.RequireRows();
        return FeatureScaler.From(kind, statistics);
    }

    /// <summary>Checks each block of a pass as it comes, counting blocks and rows so that a bad value is named by both.</summary>
    private struct BlockChecker(int width)
    {
        private long _blocks, _rows;

        public readonly long Rows => _rows;

        public void Check<T>(ReadOnlySpan<T> block)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            _blocks++;
            if (block.Length % width != 0)
            {
                throw new ArgumentException(
                    $"blocks must hold whole rows of n = {width} values, but block {_blocks} (counting from 1) holds {block.Length} values, {block.Length / width} rows and {block.Length % width} values over.",
                    "blocks");
            }

            int bad = FiniteCheck.FirstNonFinite(block);
            if (bad >= 0)
            {
                int row = bad / width;
                throw new ArgumentException(
                    $"blocks must hold finite values, but row {row + 1} of block {_blocks} (row {_rows + row + 1} of the stream), column {(bad % width) + 1} (all counting from 1) is {block[bad]}.",
                    "blocks");
            }

            _rows += block.Length / width;
        }

        public readonly void RequireRows()
        {
            if (_rows == 0)
            {
                throw new ArgumentException($"blocks must hold at least one row of n = {width} values, but the stream held none ({_blocks} blocks).", "blocks");
            }
        }
    }

    /// <summary>
    /// A stream's epochs: each reads the blocks (one ahead, on another thread), scales each row as it enters the shuffle
    /// buffer, and trains on the rows the buffer lets go, in mini-batches gathered in <c>_staged</c>; at the end of the
    /// stream the rows left in the buffer go in a Fisher–Yates order. When the buffer holds every row, no row leaves it
    /// before the end, and that order is exactly the in-memory Fit's, drawn from the same generator.
    /// </summary>
    private sealed class StreamEpochs<T> : IEpochSource<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly IEnumerable<ReadOnlyMemory<T>> _blocks;
        private readonly int _width;
        private readonly FeatureScaler? _scaler;
        private readonly ShuffleBuffer<T> _buffer;
        private readonly T[] _staged;
        private readonly int[] _stagedOrder;
        private int[] _drainOrder = [];

        /// <param name="blocks">The stream, enumerated once per epoch.</param>
        /// <param name="width">n.</param>
        /// <param name="scaler">Applied to each row as it enters the buffer, or null.</param>
        /// <param name="bufferRows">The shuffle buffer's rows.</param>
        /// <param name="batchSize">Rows per mini-batch.</param>
        /// <param name="keepRanges">Whether to keep the first epoch's column ranges (rows that go in unscaled).</param>
        public StreamEpochs(IEnumerable<ReadOnlyMemory<T>> blocks, int width, FeatureScaler? scaler, int bufferRows, int batchSize, bool keepRanges)
        {
            _blocks = blocks;
            _width = width;
            _scaler = scaler;
            _buffer = new ShuffleBuffer<T>(bufferRows, width);
            _staged = new T[checked(batchSize * width)];
            _stagedOrder = Identity(batchSize);
            Ranges = keepRanges ? new ColumnStatistics(width, moments: false) : null;
        }

        /// <summary>The columns' ranges over the first epoch's rows, for the warning on unscaled columns; null if not kept.</summary>
        public ColumnStatistics? Ranges { get; }

        public EpochSteps Run(FitRun<T> run, int epoch, double rate)
        {
            _buffer.Clear();
            var checker = new BlockChecker(_width);
            int staged = 0, batch = run.BatchSize;
            double costSum = 0;
            SplitMix64 ahead = default;
            bool aheadStarted = false;
            foreach (ReadOnlyMemory<T> block in ReadAhead.Blocks(_blocks, 0))
            {
                ReadOnlySpan<T> rows = block.Span;
                checker.Check(rows);
                if (epoch == 1)
                {
                    Ranges?.Add(rows);
                }

                for (int start = 0; start < rows.Length; start += _width)
                {
                    ReadOnlySpan<T> row = rows.Slice(start, _width);
                    if (!_buffer.IsFull)
                    {
                        Enter(row, _buffer.Append());
                        continue;
                    }

                    // The row drawn leaves for the mini-batch, and the new one takes its place. A copy of the
                    // generator runs a few draws ahead and asks the cache for the rows it names, so that the
                    // buffer's misses overlap; the draws themselves are the generator's own, as without it.
                    if (!aheadStarted)
                    {
                        (ahead, aheadStarted) = (run.Random, true);
                        for (int i = 0; i < DrawAhead; i++)
                        {
                            Hint(ref ahead);
                        }
                    }

                    Hint(ref ahead);
                    Span<T> place = _buffer.Row(run.Random.NextInt(_buffer.Capacity));
                    place.CopyTo(_staged.AsSpan(staged * _width, _width));
                    Enter(row, place);
                    if (++staged == batch)
                    {
                        staged = 0;
                        if (run.Batch(_staged, _stagedOrder.AsSpan(0, batch), epoch, rate, ref costSum) is FitEnd end)
                        {
                            return new EpochSteps(costSum, checker.Rows, end);
                        }
                    }
                }
            }

            checker.RequireRows();
            return Drain(run, epoch, rate, staged, batch, costSum, checker.Rows);
        }

        /// <summary>The rows left in the buffer, in a fresh shuffle: first filling the mini-batch begun, then straight from the buffer.</summary>
        private EpochSteps Drain(FitRun<T> run, int epoch, double rate, int staged, int batch, double costSum, long rows)
        {
            int count = _buffer.Count;
            if (_drainOrder.Length != count)
            {
                _drainOrder = Identity(count);
            }

            Shuffle(_drainOrder, ref run.Random);
            int next = 0;
            if (staged > 0)
            {
                for (; staged < batch && next < count; staged++, next++)
                {
                    _buffer.Row(_drainOrder[next]).CopyTo(_staged.AsSpan(staged * _width, _width));
                }

                if (run.Batch(_staged, _stagedOrder.AsSpan(0, staged), epoch, rate, ref costSum) is FitEnd end)
                {
                    return new EpochSteps(costSum, rows, end);
                }
            }

            for (; next < count; next += batch)
            {
                int batchRows = Math.Min(batch, count - next);
                if (run.Batch(_buffer.Rows, _drainOrder.AsSpan(next, batchRows), epoch, rate, ref costSum) is FitEnd end)
                {
                    return new EpochSteps(costSum, rows, end);
                }
            }

            return new EpochSteps(costSum, rows);
        }

        /// <summary>How many draws ahead of the generator the rows it will name are asked for.</summary>
        private const int DrawAhead = 8;

        /// <summary>Asks the cache for the buffer's row that the next draw of <paramref name="ahead"/> names.</summary>
        private void Hint(ref SplitMix64 ahead) =>
            Kernels.Prefetch.Row(ref MemoryMarshal.GetReference(_buffer.Row(ahead.NextInt(_buffer.Capacity))), _width);

        /// <summary>A row entering the buffer, in the units the network sees.</summary>
        private void Enter(ReadOnlySpan<T> row, Span<T> place)
        {
            if (_scaler is null)
            {
                row.CopyTo(place);
            }
            else
            {
                _scaler.Transform(row, place);
            }
        }
    }
}
