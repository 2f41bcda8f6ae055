using System;
using System.Buffers;
using System.Collections.Generic;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Inference that honours the model's scaler: reconstruction in the caller's units and per-row anomaly scores.
/// A row's score is its mean squared reconstruction error per value, measured in the scaled space the model was
/// trained in (so every column weighs alike): (1/n)·Σⱼ(x′ⱼ − x̂′ⱼ)².
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
            Share(new RowBlocks<T>(model, model.Scaler, x, s, m, scores: true), m, maxDegreeOfParallelism);
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

    /// <summary>
    /// Scores a CSV file block by block, never holding more than <paramref name="rowsPerBlock"/> rows: files larger than
    /// memory stream through. The chosen columns must number n.
    /// </summary>
    /// <exception cref="CsvDataException">A row is malformed, or the kept columns are not n; raised when the enumeration reaches it.</exception>
    public static IEnumerable<T> ScoreCsv<T>(this IAutoencoder<T> model, string path, CsvOptions? options = null, int rowsPerBlock = 4096)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return Iterate(model, CsvRows.ReadBlocks<T>(path, options, rowsPerBlock, model.Inputs), rowsPerBlock);
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
            Share(new RowBlocks<T>(model, model.Scaler, x, r, m, scores: false), m, maxDegreeOfParallelism);
        }
    }

    private static void RequireDegree(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, $"maxDegreeOfParallelism must be positive or −1 (all cores), but it is {maxDegreeOfParallelism}.");
        }
    }

    /// <summary>Runs every block of <paramref name="work"/>, on the team of that many threads where there is more than one block.</summary>
    private static void Share(Kernels.ITeamWork work, int m, int maxDegreeOfParallelism)
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

    /// <summary>
    /// Scores or reconstructions of blocks of rows, a block per part: scale the block (if the model has a scaler), run
    /// the network, then the rows' scores or the reconstruction in the caller's units. The scaler is the model's as
    /// the call began, so every block of one call is scaled alike; the memory is pinned by the caller for the whole run.
    /// </summary>
    private sealed unsafe class RowBlocks<T>(IAutoencoder<T> model, FeatureScaler? scaler, T* rows, T* output, int m, bool scores) : Kernels.ITeamWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int block)
        {
            int n = model.Inputs;
            int first = block * BlockRows;
            int count = Math.Min(BlockRows, m - first);
            int length = count * n;
            var x = new ReadOnlySpan<T>(rows + ((nint)first * n), length);
            // Room for the scaled rows (none without a scaler) and for the reconstruction (none when it is the output).
            int needed = ((scaler is null ? 0 : 1) + (scores ? 1 : 0)) * length;
            T[] rented = needed == 0 ? [] : ArrayPool<T>.Shared.Rent(needed);
            try
            {
                Span<T> scaled = scaler is null ? default : rented.AsSpan(0, length);
                scaler?.Transform(x, scaled);
                ReadOnlySpan<T> input = scaler is null ? x : scaled;
                Span<T> xhat = scores ? rented.AsSpan(scaler is null ? 0 : length, length) : new Span<T>(output + ((nint)first * n), length);
                model.Forward(input, xhat);
                if (!scores)
                {
                    scaler?.InverseTransform<T>(xhat, xhat);
                    return;
                }

                T width = T.CreateChecked(n);
                for (int r = 0; r < count; r++)
                {
                    Span<T> difference = xhat.Slice(r * n, n);
                    System.Numerics.Tensors.TensorPrimitives.Subtract(input.Slice(r * n, n), difference, difference);
                    output[first + r] = System.Numerics.Tensors.TensorPrimitives.SumOfSquares<T>(difference) / width;
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

    private static IEnumerable<T> Iterate<T>(IAutoencoder<T> model, IEnumerable<ReadOnlyMemory<T>> blocks, int rowsPerBlock)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scores = new T[rowsPerBlock];
        foreach (ReadOnlyMemory<T> block in blocks)
        {
            int m = block.Length / model.Inputs;
            model.Score(block.Span, scores.AsSpan(0, m));
            for (int r = 0; r < m; r++)
            {
                yield return scores[r];
            }
        }
    }
}
