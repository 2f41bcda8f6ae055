using System;
using System.Buffers;
using System.Collections.Generic;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Inference that honours the model's scaler: reconstruction in the caller's units and per-row anomaly scores.
/// A row's score is its mean squared reconstruction error per value, measured in the scaled space the model was
/// trained in (so every column weighs alike): (1/n)·Σⱼ(x′ⱼ − x̂′ⱼ)². A row that cannot be scored (it holds NaN or an
/// infinity, or its error overflows) scores +∞, so it lies above every threshold and is flagged rather than passed as
/// normal by a comparison with NaN.
/// </summary>
public static class AutoencoderScoring
{
    /// <summary>
    /// Rows scored or reconstructed together: a block's scaled copy and reconstruction take a few hundred kilobytes or
    /// a few megabytes, whatever the input's length, and blocks are what the threads share.
    /// </summary>
    internal const int BlockRows = 2048;

    /// <summary>Writes one score per row of <paramref name="rows"/> into <paramref name="scores"/>, on every core.</summary>
    /// <remarks>
    /// Rows are scored in blocks of <see cref="BlockRows"/>, shared among the cores; a row's score does not depend on
    /// which block or thread scored it, so the scores are the same bits on any number of threads. Several threads may
    /// score with one model at once, as long as none changes its parameters or scaler meanwhile.
    /// </remarks>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, or <paramref name="scores"/> does not hold one value per row.</exception>
    public static void Score<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, Span<T> scores)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Score(model, rows, scores, maxDegreeOfParallelism: -1);

    /// <summary>Writes one score per row of <paramref name="rows"/> into <paramref name="scores"/>, on up to <paramref name="maxDegreeOfParallelism"/> threads (−1: one per core).</summary>
    /// <remarks>See <see cref="Score{T}(IAutoencoder{T}, ReadOnlySpan{T}, Span{T})"/>: the scores do not depend on the thread count.</remarks>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, or <paramref name="scores"/> does not hold one value per row.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is neither positive nor −1.</exception>
    public static unsafe void Score<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, Span<T> scores, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        int m = Internals.ShapeGuard.Rows(rows.Length, model.Inputs, nameof(rows));
        Internals.ShapeGuard.RowsMatch(scores.Length, m, 1, nameof(scores), nameof(rows));
        RequireDegree(maxDegreeOfParallelism);
        fixed (T* x = rows, s = scores)
        {
            Share(new RowBlocks<T>(model, model.Scaler, x, s, m, BlockOutput.Scores), m, maxDegreeOfParallelism);
        }
    }

    /// <summary>Scores of the rows of <paramref name="rows"/>, as a new array.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values.</exception>
    public static T[] Score<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        var scores = new T[Internals.ShapeGuard.Rows(rows.Length, model.Inputs, nameof(rows))];
        model.Score(rows, scores);
        return scores;
    }

    /// <summary>Scores of a table's rows, as a new array, once they are checked to be n wide (the message names the columns that were read).</summary>
    /// <exception cref="ArgumentException">The rows are not n wide.</exception>
    public static T[] Score<T>(this IAutoencoder<T> model, RowTable<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        rows.RequireWidth(model.Inputs, nameof(rows));
        return model.Score(rows.Values.Span);
    }

    /// <summary>
    /// Scores a CSV file block by block, never holding more than three blocks of <paramref name="rowsPerBlock"/> rows:
    /// files larger than memory stream through. The next blocks are read on other threads (one splitting the file,
    /// a parser per core) while the caller's thread scores the one before, so reading and scoring overlap. The chosen
    /// columns must number n. Stopping the enumeration early stops the
    /// reading too.
    /// </summary>
    /// <exception cref="CsvDataException">A row is malformed, or the kept columns are not n; raised when the enumeration reaches it, after every score before it.</exception>
    public static IEnumerable<T> ScoreCsv<T>(this IAutoencoder<T> model, string path, CsvOptions? options = null, int rowsPerBlock = 4096)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ScoreBlocks(CsvRows.ReadBlocks<T>(path, options, rowsPerBlock, model.Inputs));
    }

    /// <summary>
    /// Scores rows that arrive in blocks of whole rows (as <see cref="CsvRows.ReadBlocks{T}(string, CsvOptions?, int)"/>
    /// or a Parquet reader gives them), in order, holding a few blocks at most: the next blocks are read on another
    /// thread while the caller's scores the one before. Each block is scaled and scored as <see cref="Score{T}(IAutoencoder{T}, ReadOnlySpan{T}, Span{T})"/> does.
    /// </summary>
    /// <exception cref="ArgumentException">A block is not whole rows of n values; raised when the enumeration reaches it.</exception>
    public static IEnumerable<T> ScoreBlocks<T>(this IAutoencoder<T> model, IEnumerable<ReadOnlyMemory<T>> blocks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(blocks);
        return Iterate(model, ReadAhead.Blocks(blocks, 0));
    }

    /// <summary>The threshold at <paramref name="quantile"/> of the scores of <paramref name="trainingRows"/>; see <see cref="AnomalyThreshold.FromQuantile{T}"/>.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values.</exception>
    public static T AnomalyThresholdFromQuantile<T>(this IAutoencoder<T> model, ReadOnlySpan<T> trainingRows, double quantile = 0.99)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AnomalyThreshold.FromQuantile<T>(model.Score(trainingRows), quantile);

    /// <summary>Reconstructs rows in the caller's units: scale, run the network, map back; on every core, in blocks, as <see cref="Score{T}(IAutoencoder{T}, ReadOnlySpan{T}, Span{T})"/>.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, or <paramref name="reconstruction"/> differs in length.</exception>
    public static void Reconstruct<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, Span<T> reconstruction)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Reconstruct(model, rows, reconstruction, maxDegreeOfParallelism: -1);

    /// <summary>Reconstructs rows in the caller's units on up to <paramref name="maxDegreeOfParallelism"/> threads (−1: one per core); the result does not depend on the count.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, or <paramref name="reconstruction"/> differs in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is neither positive nor −1.</exception>
    public static unsafe void Reconstruct<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, Span<T> reconstruction, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        int m = Internals.ShapeGuard.Rows(rows.Length, model.Inputs, nameof(rows));
        Internals.ShapeGuard.RowsMatch(reconstruction.Length, m, model.Inputs, nameof(reconstruction), nameof(rows));
        RequireDegree(maxDegreeOfParallelism);
        fixed (T* x = rows, r = reconstruction)
        {
            Share(new RowBlocks<T>(model, model.Scaler, x, r, m, BlockOutput.Reconstruction), m, maxDegreeOfParallelism);
        }
    }

    /// <summary>
    /// Each value's share of its row's score: <paramref name="errors"/>[r·n + j] = (x′ᵣⱼ − x̂′ᵣⱼ)², the squared
    /// reconstruction error of column j in the scaled space, so a row's errors average to its score (up to the order in
    /// which they are summed). The columns with the largest errors are the ones that make a row anomalous. In a row that
    /// holds a value that is not finite (after scaling), that value's error is +∞ and the others' 0. On every core, in blocks, as
    /// <see cref="Score{T}(IAutoencoder{T}, ReadOnlySpan{T}, Span{T})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, or <paramref name="errors"/> differs in length.</exception>
    public static unsafe void ScoreColumns<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, Span<T> errors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        int m = Internals.ShapeGuard.Rows(rows.Length, model.Inputs, nameof(rows));
        Internals.ShapeGuard.RowsMatch(errors.Length, m, model.Inputs, nameof(errors), nameof(rows));
        fixed (T* x = rows, e = errors)
        {
            Share(new RowBlocks<T>(model, model.Scaler, x, e, m, BlockOutput.ColumnErrors), m, maxDegreeOfParallelism: -1);
        }
    }

    /// <summary>
    /// The <paramref name="top"/> columns of one row whose reconstruction errors are largest, largest first, each with
    /// its error and its share of the row's total error: what made the row score as it did.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="row">One row of n values, in the caller's units.</param>
    /// <param name="top">How many columns to return (at most n).</param>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not hold n values.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is not positive.</exception>
    public static ColumnError<T>[] Explain<T>(this IAutoencoder<T> model, ReadOnlySpan<T> row, int top = 3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        if (row.Length != model.Inputs)
        {
            throw new ArgumentException($"row must hold one row of n = {model.Inputs} values, but it holds {row.Length}.", nameof(row));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var errors = new T[row.Length];
        model.ScoreColumns(row, errors);
        int unscorable = 0;
        double total = 0;
        foreach (T error in errors)
        {
            unscorable += T.IsPositiveInfinity(error) ? 1 : 0;
            total += double.CreateChecked(error);
        }

        int[] columns = new int[errors.Length];
        for (int j = 0; j < columns.Length; j++)
        {
            columns[j] = j;
        }

        // Largest first; equal errors in column order.
        Array.Sort(columns, (a, b) => errors[a] != errors[b] ? errors[b].CompareTo(errors[a]) : a.CompareTo(b));
        var result = new ColumnError<T>[Math.Min(top, columns.Length)];
        for (int i = 0; i < result.Length; i++)
        {
            T error = errors[columns[i]];
            double share = unscorable > 0 ? (T.IsPositiveInfinity(error) ? 1.0 / unscorable : 0) : total > 0 ? double.CreateChecked(error) / total : 0;
            result[i] = new ColumnError<T>(columns[i], error, share);
        }

        return result;
    }

    internal static void RequireDegree(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, $"maxDegreeOfParallelism must be positive or −1 (all cores), but it is {maxDegreeOfParallelism}.");
        }
    }

    /// <summary>Runs every block of <paramref name="work"/>, on the team of that many threads where there is more than one block.</summary>
    internal static void Share(Kernels.ITeamWork work, int m, int maxDegreeOfParallelism)
    {
        int blocks = (m + BlockRows - 1) / BlockRows;
        Kernels.Team? team = blocks > 1 ? Kernels.Team.For(maxDegreeOfParallelism) : null;
        if (team is null)
        {
            for (int block = 0; block < blocks; block++)
            {
                work.Run(block);
            }

            return;
        }

        team.Run(work, blocks);
    }

    /// <summary>What a block of rows produces.</summary>
    private enum BlockOutput
    {
        /// <summary>A score per row.</summary>
        Scores,

        /// <summary>The rows' reconstruction, in the caller's units.</summary>
        Reconstruction,

        /// <summary>The squared error of every value, in the scaled space.</summary>
        ColumnErrors,
    }

    /// <summary>
    /// Scores, reconstructions or column errors of blocks of rows, a block per part: scale the block (if the model has
    /// a scaler), run the network, then what was asked for. The scaler is the model's as the call began, so every block
    /// of one call is scaled alike; the memory is pinned by the caller for the whole run.
    /// </summary>
    private sealed unsafe class RowBlocks<T>(IAutoencoder<T> model, FeatureScaler? scaler, T* rows, T* output, int m, BlockOutput kind) : Kernels.ITeamWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int block)
        {
            int n = model.Inputs;
            int first = block * BlockRows;
            int count = Math.Min(BlockRows, m - first);
            int length = count * n;
            var x = new ReadOnlySpan<T>(rows + ((nint)first * n), length);
            // Room for the scaled rows (none without a scaler) and for the reconstruction (none when the output holds it).
            bool ownReconstruction = kind == BlockOutput.Scores;
            int needed = ((scaler is null ? 0 : 1) + (ownReconstruction ? 1 : 0)) * length;
            T[] rented = needed == 0 ? [] : ArrayPool<T>.Shared.Rent(needed);
            try
            {
                Span<T> scaled = scaler is null ? default : rented.AsSpan(0, length);
                scaler?.Transform(x, scaled);
                ReadOnlySpan<T> input = scaler is null ? x : scaled;
                Span<T> xhat = ownReconstruction ? rented.AsSpan(scaler is null ? 0 : length, length) : new Span<T>(output + ((nint)first * n), length);
                model.Forward(input, xhat);
                switch (kind)
                {
                    case BlockOutput.Reconstruction:
                        scaler?.InverseTransform<T>(xhat, xhat);
                        break;
                    case BlockOutput.Scores:
                        T width = T.CreateChecked(n);
                        for (int r = 0; r < count; r++)
                        {
                            Span<T> difference = xhat.Slice(r * n, n);
                            System.Numerics.Tensors.TensorPrimitives.Subtract(input.Slice(r * n, n), difference, difference);
                            T score = System.Numerics.Tensors.TensorPrimitives.SumOfSquares<T>(difference) / width;
                            output[first + r] = T.IsFinite(score) ? score : T.PositiveInfinity;
                        }

                        break;
                    case BlockOutput.ColumnErrors:
                        for (int r = 0; r < count; r++)
                        {
                            Span<T> errors = xhat.Slice(r * n, n);
                            ReadOnlySpan<T> values = input.Slice(r * n, n);
                            System.Numerics.Tensors.TensorPrimitives.Subtract(values, errors, errors);
                            System.Numerics.Tensors.TensorPrimitives.Multiply<T>(errors, errors, errors);
                            if (FiniteCheck.FirstNonFinite<T>(errors) >= 0)
                            {
                                // A value that is not finite (after scaling) makes the whole reconstruction NaN: it is
                                // the row's fault, and NaN errors of the other columns say nothing about them. An error
                                // that overflowed stays +∞.
                                for (int j = 0; j < n; j++)
                                {
                                    errors[j] = !T.IsFinite(values[j]) ? T.PositiveInfinity : T.IsNaN(errors[j]) ? T.Zero : errors[j];
                                }
                            }
                        }

                        break;
                }
            }
            finally
            {
                if (needed > 0)
                {
                    ArrayPool<T>.Shared.Return(rented);
                }
            }
        }
    }

    private static IEnumerable<T> Iterate<T>(IAutoencoder<T> model, IEnumerable<ReadOnlyMemory<T>> blocks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] scores = [];
        long block = -1;
        foreach (ReadOnlyMemory<T> rows in blocks)
        {
            block++;
            if (rows.Length % model.Inputs != 0)
            {
                throw new ArgumentException($"Block {block} holds {rows.Length} values, which is not whole rows of n = {model.Inputs}.", nameof(blocks));
            }

            int m = rows.Length / model.Inputs;
            if (m == 0)
            {
                continue;
            }

            if (scores.Length < m)
            {
                scores = new T[m];
            }

            // One thread: the reading threads are reading the next blocks on the other cores meanwhile.
            model.Score(rows.Span, scores.AsSpan(0, m), maxDegreeOfParallelism: 1);
            for (int r = 0; r < m; r++)
            {
                yield return scores[r];
            }
        }
    }
}
