using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using nietras.SeparatedValues;

namespace AeGen;

/// <summary>
/// Reads rows of numbers from CSV files with Sep, either all at once or streaming in blocks of rows, so that a file
/// larger than memory can be scored. Every row must have as many columns as the first (or the header); every kept
/// value must parse as a finite number in the invariant culture. Otherwise a <see cref="CsvDataException"/> names the
/// file, line and column, or the row is skipped or read as NaN (<see cref="CsvOptions.BadRows"/>).
/// </summary>
public static class CsvRows
{
    /// <summary>Reads every row; returns the kept values row after row and the number of kept columns.</summary>
    /// <exception cref="CsvDataException">The file is not a table of finite numbers in the chosen columns, or holds no rows.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static (T[] Values, int Columns) ReadAll<T>(string path, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (T[] values, int columns, _) = ReadEvery<T>(path, options);
        return (values, columns);
    }

    /// <summary>
    /// Reads every row into a table that knows its width, the kept columns' names (with a header) and the file it came
    /// from, so that <c>Fit</c> and <c>Score</c> can check it against the model.
    /// </summary>
    /// <exception cref="CsvDataException">The file is not a table of finite numbers in the chosen columns, or holds no rows.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static RowTable<T> Read<T>(string path, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (T[] values, int columns, string[]? names) = ReadEvery<T>(path, options);
        return new RowTable<T>(values, columns, names, path);
    }

    /// <summary>Every row's kept values, the number kept per row, and their names when there is a header.</summary>
    private static (T[] Values, int Columns, string[]? Names) ReadEvery<T>(string path, CsvOptions? options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        options = Check(path, options, 1);
        using SepReader reader = Open(path, options);
        int[]? kept = Select(reader, options, path);
        int expectedColumns = options.HasHeader ? reader.Header.ColNames.Count : -1;
        // (A column past the header is refused with its line once the first row is read.)
        string[]? names = options.HasHeader
            ? Array.ConvertAll(kept!, column => column < reader.Header.ColNames.Count ? reader.Header.ColNames[column] : $"column {column}")
            : null;
        var values = new List<T>();
        T[] block = [];
        int rows;
        do
        {
            rows = Fill(reader, ref block, 4096, ref kept, ref expectedColumns, path, options, out CsvDataException? pending);
            if (pending is not null)
            {
                throw pending;
            }

            values.AddRange(block.AsSpan(0, rows * (kept?.Length ?? 0)));
        }
        while (rows > 0);

        if (values.Count == 0)
        {
            throw new CsvDataException($"{path} holds no data rows in the chosen columns.", 0, 0);
        }

        return (values.ToArray(), kept!.Length, names);
    }

    /// <summary>
    /// Reads the file <paramref name="rowsPerBlock"/> rows at a time. Each block is the kept values of up to that many rows;
    /// the memory is reused, so a block is valid only until the next one is requested.
    /// </summary>
    /// <exception cref="CsvDataException">A row is malformed; raised when the enumeration reaches it.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static IEnumerable<ReadOnlyMemory<T>> ReadBlocks<T>(string path, CsvOptions? options, int rowsPerBlock)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Iterate<T>(path, Check(path, options, rowsPerBlock), rowsPerBlock, requiredColumns: null);

    /// <summary>As <see cref="ReadBlocks{T}(string, CsvOptions?, int)"/>, refusing a file whose kept columns are not <paramref name="requiredColumns"/>.</summary>
    internal static IEnumerable<ReadOnlyMemory<T>> ReadBlocks<T>(string path, CsvOptions? options, int rowsPerBlock, int requiredColumns)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Iterate<T>(path, Check(path, options, rowsPerBlock), rowsPerBlock, requiredColumns);

    private static CsvOptions Check(string path, CsvOptions? options, int rowsPerBlock)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerBlock);
        options ??= new CsvOptions();
        if (options.Columns is not null && options.ColumnNames is not null)
        {
            throw new ArgumentException("Set either Columns or ColumnNames, not both.", nameof(options));
        }

        if (!Enum.IsDefined(options.BadRows))
        {
            throw new ArgumentException($"BadRows must be Throw, Skip or AsNaN, but it is {options.BadRows}.", nameof(options));
        }

        if (options.ColumnNames is not null && !options.HasHeader)
        {
            throw new ArgumentException("ColumnNames needs HasHeader = true: without a header the columns have no names.", nameof(options));
        }

        return options;
    }

    private static IEnumerable<ReadOnlyMemory<T>> Iterate<T>(string path, CsvOptions options, int rowsPerBlock, int? requiredColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using SepReader reader = Open(path, options);
        int[]? kept = Select(reader, options, path);
        int expectedColumns = options.HasHeader ? reader.Header.ColNames.Count : -1;
        T[] block = [];
        while (true)
        {
            int rows = Fill(reader, ref block, rowsPerBlock, ref kept, ref expectedColumns, path, options, out CsvDataException? pending);
            if (rows > 0)
            {
                if (requiredColumns is int required && kept!.Length != required)
                {
                    throw new CsvDataException($"{path}: {kept.Length} columns were chosen, but the model takes n = {required} values per row.", 0, 0);
                }

                // The rows before a bad one are handed on before its error is thrown.
                yield return new ReadOnlyMemory<T>(block, 0, rows * kept!.Length);
            }

            if (pending is not null)
            {
                throw pending;
            }

            if (rows < rowsPerBlock)
            {
                yield break;
            }
        }
    }

    private static SepReader Open(string path, CsvOptions options) =>
        Sep.New(options.Separator).Reader(o => o with { HasHeader = options.HasHeader, DisableColCountCheck = true }).FromFile(path);

    /// <summary>The zero-based file columns to keep, checked against the header; null means all columns of the first row.</summary>
    private static int[]? Select(SepReader reader, CsvOptions options, string path)
    {
        if (options.ColumnNames is { } names)
        {
            var indices = new int[names.Count];
            for (int i = 0; i < names.Count; i++)
            {
                if (!reader.Header.TryIndexOf(names[i], out indices[i]))
                {
                    throw new CsvDataException(
                        $"{path} line 1: there is no column named '{names[i]}'; the header names {string.Join(", ", reader.Header.ColNames)}.", 1, 0);
                }
            }

            return indices;
        }

        if (options.Columns is { } columns)
        {
            int[] indices = [.. columns];
            foreach (int index in indices)
            {
                if (index < 0)
                {
                    throw new ArgumentException($"Columns must be zero-based indices, but it contains {index}.", nameof(options));
                }
            }

            return indices;
        }

        return options.HasHeader ? AllColumns(reader.Header.ColNames.Count) : null;
    }

    private static int[] AllColumns(int count)
    {
        var all = new int[count];
        for (int i = 0; i < count; i++)
        {
            all[i] = i;
        }

        return all;
    }

    /// <summary>
    /// Parses up to <paramref name="capacity"/> rows into <paramref name="block"/> (allocated once the row width is
    /// known). A bad row is skipped or read as NaN, as the options say; under <see cref="CsvBadRows.Throw"/> it ends the
    /// block early, and <paramref name="pending"/> holds its error, thrown once the rows before it have been handed on.
    /// </summary>
    private static int Fill<T>(SepReader reader, ref T[] block, int capacity, ref int[]? kept, ref int expectedColumns, string path, CsvOptions options, out CsvDataException? pending)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        pending = null;
        int rows = 0;
        while (rows < capacity && reader.MoveNext())
        {
            SepReader.Row row = reader.Current;
            // The row's last line. (Sep 0.17.1 reports LineNumberFrom = 2 for the first row of a file without a header.)
            int line = row.LineNumberToExcl - 1;
            if (expectedColumns < 0)
            {
                expectedColumns = row.ColCount;
            }

            kept ??= AllColumns(row.ColCount);
            int width = kept.Length;
            if (block.Length != capacity * width)
            {
                block = new T[capacity * width];
            }

            Span<T> values = block.AsSpan(rows * width, width);
            CsvDataException? problem = Parse(row, line, kept, expectedColumns, values, path, options);
            if (problem is null)
            {
                rows++;
                continue;
            }

            switch (options.BadRows)
            {
                case CsvBadRows.Skip:
                    options.SkippedLines?.Add(line);
                    break;
                case CsvBadRows.AsNaN:
                    values.Fill(T.NaN);
                    rows++;
                    break;
                default:
                    if (rows == 0)
                    {
                        throw problem;
                    }

                    pending = problem;
                    return rows;
            }
        }

        return rows;
    }

    /// <summary>Parses one row's kept values into <paramref name="values"/>; the error that describes it, or null when it is good.</summary>
    private static CsvDataException? Parse<T>(SepReader.Row row, int line, int[] kept, int expectedColumns, Span<T> values, string path, CsvOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (row.ColCount != expectedColumns)
        {
            return new CsvDataException(
                $"{path} line {line}: expected {expectedColumns} columns, but found {row.ColCount}.", line, Math.Min(row.ColCount, expectedColumns) + 1);
        }

        for (int c = 0; c < kept.Length; c++)
        {
            int column = kept[c];
            if (column >= row.ColCount)
            {
                return new CsvDataException(
                    $"{path} line {line}: column index {column} (counting from 0) was asked for, but the line has only {row.ColCount} columns.", line, column + 1);
            }

            // Plain decimals first (exact, and several times faster than a general parser); then Sep's own float
            // parsing (csFastFloat, correctly rounded), faster than T.TryParse, which only sees what both refuse.
            // Sep's parser takes ',' for a thousands separator ("1,5" is 15), where the invariant culture's
            // NumberStyles.Float refuses it, so text holding one never goes that way.
            SepReader.Col cell = row[column];
            ReadOnlySpan<char> text = cell.Span;
            bool parsed = DecimalText.TryParse(text, out T value)
                || (!text.Contains(',') && cell.TryParse(out value))
                || T.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            if (!parsed || !T.IsFinite(value))
            {
                return NotANumber(path, line, column, text, row.ColCount, options.HasHeader, options.Separator);
            }

            values[c] = value;
        }

        return null;
    }

    /// <summary>Separators a file of numbers commonly uses, in the order they are suggested.</summary>
    private const string CommonSeparators = ",;\t|";

    /// <summary>
    /// The error for a kept value that is not a finite number, with the likely fix where the text shows one: a single
    /// column holding another common separator means the separator is wrong; text in line 1 of a file read without a
    /// header is most likely the header.
    /// </summary>
    private static CsvDataException NotANumber(string path, int line, int column, ReadOnlySpan<char> text, int columns, bool hasHeader, char separator)
    {
        string where = $"{path} line {line}, column {column + 1} (both counting from 1): '{text}' is not a finite number.";
        if (columns == 1)
        {
            foreach (char candidate in CommonSeparators)
            {
                if (candidate != separator && text.Contains(candidate))
                {
                    string shown = candidate == '\t' ? "'\\t'" : $"'{candidate}'";
                    return new CsvDataException(
                        $"{where} The line is a single column holding {shown}: the file seems to be separated by {shown}, not '{separator}'; set CsvOptions.Separator = {shown}.",
                        line, column + 1, CsvFix.SetSeparator, candidate);
                }
            }
        }

        if (line == 1 && !hasHeader)
        {
            return new CsvDataException(
                $"{where} If line 1 names the columns, set CsvOptions.HasHeader = true.", line, column + 1, CsvFix.SetHasHeader);
        }

        return new CsvDataException(where, line, column + 1);
    }
}
