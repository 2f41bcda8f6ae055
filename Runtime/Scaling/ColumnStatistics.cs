using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Each column's range, mean and spread over rows seen in any number of pieces, in double, in one pass. The rows are
/// taken in order, one at a time, so how they are split into pieces never changes a bit of the result: a scaler fitted
/// on a stream of blocks equals the one fitted on the same rows in one span.
/// </summary>
internal sealed class ColumnStatistics
{
    private readonly double[] _low, _high, _mean, _squares;
    private readonly bool _moments;

    /// <param name="columns">The width of a row.</param>
    /// <param name="moments">Whether to keep the mean and spread as well as the range.</param>
    public ColumnStatistics(int columns, bool moments)
    {
        _low = new double[columns];
        _high = new double[columns];
        Array.Fill(_low, double.PositiveInfinity);
        Array.Fill(_high, double.NegativeInfinity);
        _moments = moments;
        _mean = moments ? new double[columns] : [];
        _squares = moments ? new double[columns] : [];
    }

    /// <summary>The rows seen.</summary>
    public long Rows { get; private set; }

    public int Columns => _low.Length;

    public ReadOnlySpan<double> Low => _low;

    public ReadOnlySpan<double> High => _high;

    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>
    /// Adds whole rows (finite values). The mean and the sum of squared deviations follow Welford's update, which
    /// needs no second pass and, unlike a sum of squares less the squared sum, cancels nothing catastrophically.
    /// </summary>
    public void Add<T>(ReadOnlySpan<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int columns = _low.Length;
        for (int start = 0; start < rows.Length; start += columns)
        {
            ReadOnlySpan<T> row = rows.Slice(start, columns);
            Rows++;
            double count = Rows;
            for (int j = 0; j < columns; j++)
            {
                double value = double.CreateChecked(row[j]);
                _low[j] = Math.Min(_low[j], value);
                _high[j] = Math.Max(_high[j], value);
                if (_moments)
                {
                    double before = value - _mean[j];
                    _mean[j] += before / count;
                    _squares[j] += before * (value - _mean[j]);
                }
            }
        }
    }

    /// <summary>The population standard deviation of column <paramref name="j"/>.</summary>
    public double Deviation(int j) => Math.Sqrt(_squares[j] / Rows);
}
