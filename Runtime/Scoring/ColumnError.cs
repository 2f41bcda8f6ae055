using System.Numerics;

namespace AeGen;

/// <summary>One column's part in a row's anomaly score, as <see cref="AutoencoderScoring.Explain{T}"/> reports it.</summary>
/// <typeparam name="T">The model's precision.</typeparam>
/// <param name="Column">The column's index in the row, counting from 0.</param>
/// <param name="Error">Its squared reconstruction error in the scaled space (+∞ for a value that is not finite).</param>
/// <param name="Share">Its part of the row's total error, from 0 to 1.</param>
public readonly record struct ColumnError<T>(int Column, T Error, double Share)
    where T : unmanaged, IFloatingPointIeee754<T>;
