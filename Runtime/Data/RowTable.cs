using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Rows of numbers that know their width: the values row after row, how many columns each row has, and, where the
/// reader knew them, the columns' names and where the rows came from. <c>Fit</c>, <c>Score</c> and validation rows
/// given as a table are checked against the model's width, which a flat span of m·n values cannot be (4,200 rows of 13
/// values are also 4,550 rows of 12).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RowTable<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A table of <paramref name="values"/> in rows of <paramref name="columns"/>.</summary>
    /// <param name="values">The values, row after row.</param>
    /// <param name="columns">Values per row.</param>
    /// <param name="columnNames">The columns' names, one per column, or null.</param>
    /// <param name="source">Where the rows came from, for messages (a file's path, say), or null.</param>
    /// <exception cref="ArgumentException">The values are not whole rows, or the names do not number the columns.</exception>
    public RowTable(ReadOnlyMemory<T> values, int columns, IReadOnlyList<string>? columnNames = null, string? source = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (values.Length % columns != 0)
        {
            throw new ArgumentException($"values must be whole rows of {columns} values, but {values.Length} values leave {values.Length % columns} over.", nameof(values));
        }

        if (columnNames is not null && columnNames.Count != columns)
        {
            throw new ArgumentException($"columnNames must name each of the {columns} columns, but it holds {columnNames.Count} names.", nameof(columnNames));
        }

        Values = values;
        Columns = columns;
        ColumnNames = columnNames;
        Source = source;
    }

    /// <summary>The values, row after row.</summary>
    public ReadOnlyMemory<T> Values { get; }

    /// <summary>Values per row.</summary>
    public int Columns { get; }

    /// <summary>The number of rows.</summary>
    public int Rows => Values.Length / Columns;

    /// <summary>The columns' names (from a CSV header), or null.</summary>
    public IReadOnlyList<string>? ColumnNames { get; }

    /// <summary>Where the rows came from, or null.</summary>
    public string? Source { get; }

    /// <summary>Row <paramref name="row"/> (counting from 0).</summary>
    public ReadOnlySpan<T> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return Values.Span.Slice(row * Columns, Columns);
    }

    /// <summary><paramref name="count"/> rows from row <paramref name="first"/> on, as a table of the same columns (no copy).</summary>
    public RowTable<T> Slice(int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + count, Rows, nameof(count));
        return new RowTable<T>(Values.Slice(first * Columns, count * Columns), Columns, ColumnNames, Source);
    }

    /// <summary>
    /// Throws unless the rows are <paramref name="inputs"/> wide: the message names what was read (source, count and
    /// columns) and both fixes.
    /// </summary>
    internal void RequireWidth(int inputs, string argument)
    {
        if (Columns == inputs)
        {
            return;
        }

        string from = Source is null ? string.Empty : $"{Source}: ";
        string which = ColumnNames is null ? string.Empty : $" ({Describe(ColumnNames)})";
        throw new ArgumentException(
            $"{from}{argument} has {Columns} columns{which}, but the model takes n = {inputs} values per row. Keep {inputs} columns "
            + $"(CsvOptions.Columns or ColumnNames), or declare [Autoencoder({Columns}, k)] and rebuild.",
            argument);
    }

    private static string Describe(IReadOnlyList<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(6))}, … {names[^1]}";
}
