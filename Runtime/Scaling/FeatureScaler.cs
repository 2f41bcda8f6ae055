using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// A per-column affine map x′ = (x − shift) / divisor fitted on training rows (min-max or standardization).
/// A constant column gets divisor 1, so it maps to 0 instead of dividing by zero.
/// Training attaches the fitted scaler to the model; checkpoints save it; scoring and reconstruction apply it.
/// </summary>
public sealed class FeatureScaler
{
    private readonly double[] _shift;
    private readonly double[] _divisor;

    /// <summary>Makes a scaler from explicit per-column values.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length, are empty, or hold a value that is not finite or a divisor that is not positive.</exception>
    public FeatureScaler(ScalerKind kind, ReadOnlySpan<double> shift, ReadOnlySpan<double> divisor)
    {
        if (kind == ScalerKind.None || !Enum.IsDefined(kind))
        {
            throw new ArgumentException($"kind must be MinMax or Standard, but it is {kind}.", nameof(kind));
        }

        if (shift.Length == 0 || shift.Length != divisor.Length)
        {
            throw new ArgumentException(
                $"shift and divisor must have the same positive length, but their lengths are {shift.Length} and {divisor.Length}.",
                nameof(divisor));
        }

        for (int j = 0; j < shift.Length; j++)
        {
            if (!double.IsFinite(shift[j]))
            {
                throw new ArgumentException($"shift[{j}] must be finite, but it is {shift[j]}.", nameof(shift));
            }

            if (!(divisor[j] > 0) || !double.IsFinite(divisor[j]))
            {
                throw new ArgumentException($"divisor[{j}] must be positive and finite, but it is {divisor[j]}.", nameof(divisor));
            }
        }

        Kind = kind;
        _shift = shift.ToArray();
        _divisor = divisor.ToArray();
    }

    /// <summary>Min-max or standardization.</summary>
    public ScalerKind Kind { get; }

    /// <summary>The number of columns.</summary>
    public int Columns => _shift.Length;

    /// <summary>The value subtracted from each column (min or mean).</summary>
    public ReadOnlySpan<double> Shift => _shift;

    /// <summary>The value each shifted column is divided by (range or standard deviation, 1 for constant columns).</summary>
    public ReadOnlySpan<double> Divisor => _divisor;

    /// <summary>Fits a scaler of <paramref name="kind"/> on the m rows of <paramref name="rows"/> (m·<paramref name="columns"/> values).</summary>
    /// <exception cref="ArgumentException">The kind is None, the rows are not whole rows, or a value is not finite.</exception>
    public static FeatureScaler Fit<T>(ScalerKind kind, ReadOnlySpan<T> rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = Internals.ShapeGuard.Rows(rows.Length, columns, nameof(rows));
        var shift = new double[columns];
        var divisor = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            // Accumulate in double: a float sum over many rows drifts.
            double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
            for (int r = 0; r < m; r++)
            {
                double x = double.CreateChecked(rows[(r * columns) + j]);
                if (!double.IsFinite(x))
                {
                    throw new ArgumentException($"rows must be finite, but row {r}, column {j} is {x}.", nameof(rows));
                }

                min = Math.Min(min, x);
                max = Math.Max(max, x);
                sum += x;
            }

            if (kind == ScalerKind.MinMax)
            {
                shift[j] = min;
                divisor[j] = max > min ? max - min : 1;
            }
            else
            {
                double mean = sum / m;
                double squares = 0;
                for (int r = 0; r < m; r++)
                {
                    double d = double.CreateChecked(rows[(r * columns) + j]) - mean;
                    squares += d * d;
                }

                double sigma = Math.Sqrt(squares / m);
                shift[j] = mean;
                divisor[j] = sigma > 0 ? sigma : 1;
            }
        }

        return new FeatureScaler(kind, shift, divisor);
    }

    /// <summary>Writes the scaled rows of <paramref name="rows"/> into <paramref name="scaled"/> (which may be the same memory).</summary>
    /// <exception cref="ArgumentException">The lengths differ or are not whole rows.</exception>
    public void Transform<T>(ReadOnlySpan<T> rows, Span<T> scaled)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = Internals.ShapeGuard.Rows(rows.Length, Columns, nameof(rows));
        Internals.ShapeGuard.RowsMatch(scaled.Length, m, Columns, nameof(scaled), nameof(rows));
        for (int i = 0; i < rows.Length; i++)
        {
            int j = i % Columns;
            scaled[i] = T.CreateChecked((double.CreateChecked(rows[i]) - _shift[j]) / _divisor[j]);
        }
    }

    /// <summary>Maps scaled rows back to the original units: x = x′·divisor + shift.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are not whole rows.</exception>
    public void InverseTransform<T>(ReadOnlySpan<T> scaled, Span<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = Internals.ShapeGuard.Rows(scaled.Length, Columns, nameof(scaled));
        Internals.ShapeGuard.RowsMatch(rows.Length, m, Columns, nameof(rows), nameof(scaled));
        for (int i = 0; i < scaled.Length; i++)
        {
            int j = i % Columns;
            rows[i] = T.CreateChecked((double.CreateChecked(scaled[i]) * _divisor[j]) + _shift[j]);
        }
    }
}
