using System;
using System.Buffers;
using System.Numerics;

namespace AeGen;

/// <summary>
/// The bottleneck as a compressed form of the rows, in the caller's units: <see cref="Compress{T}(IAutoencoder{T}, ReadOnlySpan{T}, Span{T})"/>
/// scales the rows with the model's scaler and encodes them, <see cref="Decompress{T}(IAutoencoder{T}, ReadOnlySpan{T}, Span{T})"/>
/// decodes codes and maps the result back, so that <c>Decompress(Compress(rows))</c> equals <c>Reconstruct(rows)</c>.
/// Both work through blocks of rows that the cores share, as scoring does. A row's code does not depend on which block
/// or thread computed it, so the results are the same bits on any number of threads. Several threads may compress
/// and decompress with one model at once, as long as none changes its parameters or scaler meanwhile.
/// </summary>
public static class AutoencoderCompression
{
    /// <summary>Writes each row's code (k values, the bottleneck's activations) into <paramref name="codes"/>, on every core.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, or <paramref name="codes"/> does not hold k values per row.</exception>
    public static void Compress<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, Span<T> codes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Compress(model, rows, codes, maxDegreeOfParallelism: -1);

    /// <summary>Writes each row's code into <paramref name="codes"/> on up to <paramref name="maxDegreeOfParallelism"/> threads (−1: one per core); the codes do not depend on the count.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, or <paramref name="codes"/> does not hold k values per row.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is neither positive nor −1.</exception>
    public static void Compress<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows, Span<T> codes, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Translate(model, rows, nameof(rows), codes, nameof(codes), encode: true, maxDegreeOfParallelism);

    /// <summary>The codes of <paramref name="rows"/>, as a new array of k values per row.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values.</exception>
    public static T[] Compress<T>(this IAutoencoder<T> model, ReadOnlySpan<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        var codes = new T[Internals.ShapeGuard.Rows(rows.Length, model.Inputs, nameof(rows)) * model.Hidden];
        model.Compress(rows, codes);
        return codes;
    }

    /// <summary>Writes the rows that <paramref name="codes"/> (k values each) stand for, in the caller's units, into <paramref name="rows"/>, on every core.</summary>
    /// <exception cref="ArgumentException">The codes are not whole rows of k values, or <paramref name="rows"/> does not hold n values per code.</exception>
    public static void Decompress<T>(this IAutoencoder<T> model, ReadOnlySpan<T> codes, Span<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Decompress(model, codes, rows, maxDegreeOfParallelism: -1);

    /// <summary>Writes the rows that <paramref name="codes"/> stand for on up to <paramref name="maxDegreeOfParallelism"/> threads (−1: one per core); the rows do not depend on the count.</summary>
    /// <exception cref="ArgumentException">The codes are not whole rows of k values, or <paramref name="rows"/> does not hold n values per code.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is neither positive nor −1.</exception>
    public static void Decompress<T>(this IAutoencoder<T> model, ReadOnlySpan<T> codes, Span<T> rows, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Translate(model, codes, nameof(codes), rows, nameof(rows), encode: false, maxDegreeOfParallelism);

    /// <summary>
    /// Checks the shapes (n values a row and k a code, or the other way round) and the thread count, then runs the
    /// blocks: <paramref name="source"/> holds rows to encode, or codes to decode.
    /// </summary>
    private static unsafe void Translate<T>(IAutoencoder<T> model, ReadOnlySpan<T> source, string sourceName, Span<T> destination, string destinationName, bool encode, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        (int from, int to) = encode ? (model.Inputs, model.Hidden) : (model.Hidden, model.Inputs);
        int m = Internals.ShapeGuard.Rows(source.Length, from, sourceName);
        Internals.ShapeGuard.RowsMatch(destination.Length, m, to, destinationName, sourceName);
        AutoencoderScoring.RequireDegree(maxDegreeOfParallelism);
        fixed (T* s = source, d = destination)
        {
            T* rows = encode ? s : d;
            T* codes = encode ? d : s;
            AutoencoderScoring.Share(new CodeBlocks<T>(model, model.Scaler, rows, codes, m, encode), m, maxDegreeOfParallelism);
        }
    }

    /// <summary>
    /// Codes from rows or rows from codes, a block of rows per part. The scaler is the model's as the call began, so
    /// every block of one call is scaled alike; the memory is pinned by the caller for the whole run.
    /// </summary>
    private sealed unsafe class CodeBlocks<T>(IAutoencoder<T> model, FeatureScaler? scaler, T* rows, T* codes, int m, bool encode) : Kernels.ITeamWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int block)
        {
            int n = model.Inputs, k = model.Hidden;
            int first = block * AutoencoderScoring.BlockRows;
            int count = Math.Min(AutoencoderScoring.BlockRows, m - first);
            var values = new Span<T>(rows + ((nint)first * n), count * n);
            var code = new Span<T>(codes + ((nint)first * k), count * k);
            if (!encode)
            {
                // The decoded rows are written where the caller wants them and mapped back in place.
                model.Decode(code, values);
                scaler?.InverseTransform<T>(values, values);
                return;
            }

            if (scaler is null)
            {
                model.Encode(values, code);
                return;
            }

            // The caller's rows stay as they are: the block is scaled into a rented copy.
            T[] scaled = ArrayPool<T>.Shared.Rent(count * n);
            try
            {
                Span<T> input = scaled.AsSpan(0, count * n);
                scaler.Transform<T>(values, input);
                model.Encode(input, code);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(scaled);
            }
        }
    }
}
