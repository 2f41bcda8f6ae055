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
    /// <summary>Writes one score per row of <paramref name="rows"/> into <paramref name="scores"/>.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, or <paramref name="scores"/> does not hold one value per row.</exception>
    public static void Score<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, Span<T> scores)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        int n = model.Inputs;
        int m = Internals.ShapeGuard.Rows(rows.Length, n, nameof(rows));
        Internals.ShapeGuard.RowsMatch(scores.Length, m, 1, nameof(scores), nameof(rows));
        T[] rented = ArrayPool<T>.Shared.Rent(2 * rows.Length);
        try
        {
            Span<T> scaled = rented.AsSpan(0, rows.Length);
            Span<T> xhat = rented.AsSpan(rows.Length, rows.Length);
            FeatureScaler? scaler = model.Scaler;
            if (scaler is null)
            {
                rows.CopyTo(scaled);
            }
            else
            {
                scaler.Transform(rows, scaled);
            }

            model.Forward(scaled, xhat);
            T width = T.CreateChecked(n);
            for (int r = 0; r < m; r++)
            {
                ReadOnlySpan<T> x = scaled.Slice(r * n, n);
                ReadOnlySpan<T> y = xhat.Slice(r * n, n);
                scores[r] = System.Numerics.Tensors.TensorPrimitives.SumOfSquares<T>(Difference(x, y, xhat.Slice(r * n, n))) / width;
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
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

    /// <summary>Reconstructs rows in the caller's units: scale, run the network, map back.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, or <paramref name="reconstruction"/> differs in length.</exception>
    public static void Reconstruct<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, Span<T> reconstruction)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        int m = Internals.ShapeGuard.Rows(rows.Length, model.Inputs, nameof(rows));
        Internals.ShapeGuard.RowsMatch(reconstruction.Length, m, model.Inputs, nameof(reconstruction), nameof(rows));
        FeatureScaler? scaler = model.Scaler;
        if (scaler is null)
        {
            model.Forward(rows, reconstruction);
            return;
        }

        T[] rented = ArrayPool<T>.Shared.Rent(rows.Length);
        try
        {
            Span<T> scaled = rented.AsSpan(0, rows.Length);
            scaler.Transform(rows, scaled);
            model.Forward(scaled, reconstruction);
            scaler.InverseTransform<T>(reconstruction, reconstruction);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    private static Span<T> Difference<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        System.Numerics.Tensors.TensorPrimitives.Subtract(x, y, destination);
        return destination;
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
