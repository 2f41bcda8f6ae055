using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        Internals.ShapeGuard.Rows(rows.Length, columns, nameof(rows));
        FiniteCheck.RequireRows(rows, columns, nameof(rows));
        var statistics = new ColumnStatistics(columns, moments: kind == ScalerKind.Standard);
        statistics.Add(rows);
        return From(kind, statistics);
    }

    /// <summary>
    /// The scaler of <paramref name="kind"/> for the rows <paramref name="statistics"/> has seen (at least one): the
    /// range for min-max, the mean and population deviation for standardization.
    /// </summary>
    /// <exception cref="ArgumentException">The kind is None.</exception>
    internal static FeatureScaler From(ScalerKind kind, ColumnStatistics statistics)
    {
        if (kind is not (ScalerKind.MinMax or ScalerKind.Standard))
        {
            throw new ArgumentException($"kind must be MinMax or Standard, but it is {kind}.", nameof(kind));
        }

        int columns = statistics.Columns;
        var shift = new double[columns];
        var divisor = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            if (kind == ScalerKind.MinMax)
            {
                shift[j] = statistics.Low[j];
                double range = statistics.High[j] - statistics.Low[j];
                divisor[j] = range > 0 ? range : 1;
            }
            else
            {
                shift[j] = statistics.Mean[j];
                double sigma = statistics.Deviation(j);
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
        for (int r = 0; r < m; r++)
        {
            Map(rows.Slice(r * Columns, Columns), scaled.Slice(r * Columns, Columns), inverse: false);
        }
    }

    /// <summary>Maps scaled rows back to the original units: x = x′·divisor + shift.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are not whole rows.</exception>
    public void InverseTransform<T>(ReadOnlySpan<T> scaled, Span<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = Internals.ShapeGuard.Rows(scaled.Length, Columns, nameof(scaled));
        Internals.ShapeGuard.RowsMatch(rows.Length, m, Columns, nameof(rows), nameof(scaled));
        for (int r = 0; r < m; r++)
        {
            Map(scaled.Slice(r * Columns, Columns), rows.Slice(r * Columns, Columns), inverse: true);
        }
    }

    /// <summary>
    /// One row each way, in double as the definitions say: (x − shift)/divisor, or x′·divisor + shift (a product and
    /// a sum, each rounded, never fused), then rounded to <typeparamref name="T"/>. Four columns at a time where
    /// 256-bit vectors are accelerated: each lane's operations round exactly as the scalar ones do, so the results are
    /// the same bits either way.
    /// </summary>
    private void Map<T>(ReadOnlySpan<T> from, Span<T> to, bool inverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            ref double shift = ref MemoryMarshal.GetArrayDataReference(_shift);
            ref double divisor = ref MemoryMarshal.GetArrayDataReference(_divisor);
            for (; j + 4 <= from.Length; j += 4)
            {
                Vector256<double> x = typeof(T) == typeof(float)
                    ? Vector256.WidenLower(Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(from)), (nuint)j).ToVector256Unsafe())
                    : Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(from)), (nuint)j);
                Vector256<double> s = Vector256.LoadUnsafe(ref shift, (nuint)j), d = Vector256.LoadUnsafe(ref divisor, (nuint)j);
                Vector256<double> y = inverse ? (x * d) + s : (x - s) / d;
                if (typeof(T) == typeof(float))
                {
                    Vector128.Narrow(y.GetLower(), y.GetUpper()).StoreUnsafe(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(to)), (nuint)j);
                }
                else
                {
                    y.StoreUnsafe(ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(to)), (nuint)j);
                }
            }
        }

        for (; j < from.Length; j++)
        {
            double x = double.CreateTruncating(from[j]);
            to[j] = T.CreateTruncating(inverse ? (x * _divisor[j]) + _shift[j] : (x - _shift[j]) / _divisor[j]);
        }
    }
}
