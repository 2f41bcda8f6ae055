using System;
using System.Collections.Generic;
using System.Numerics;
using nietras.SeparatedValues;

namespace AeGen;

/// <summary>
/// Reads rows of numbers from CSV files, either all at once or streaming in blocks of rows, so that a file larger than
/// memory can be trained on or scored. One thread splits the file into rows while the others parse blocks of them, so
/// reading uses every core; the rows come out in file order all the same. Quoted cells (and the line breaks inside
/// them) are read as Sep reads them. Every row must
/// have as many columns as the first (or the header); every kept value must parse as a finite number in the invariant
/// culture. Otherwise a <see cref="CsvDataException"/> names the file, line and column, or the row is skipped or read
/// as NaN (<see cref="CsvOptions.BadRows"/>).
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
        // (A column past the header is refused with its line once the first row is read.)
        string[]? names = options.HasHeader
            ? Array.ConvertAll(kept!, column => column < reader.Header.ColNames.Count ? reader.Header.ColNames[column] : $"column {column}")
            : null;
        using var pipeline = new CsvPipeline<T>(reader, kept, path, options, 4096);
        var values = new List<T>();
        foreach (ReadOnlyMemory<T> block in Settled(pipeline, path, options, requiredColumns: null))
        {
            values.AddRange(block.Span);
        }

        if (values.Count == 0)
        {
            throw new CsvDataException($"{path} holds no data rows in the chosen columns.", 0, 0);
        }

        return (values.ToArray(), pipeline.Kept!.Length, names);
    }

    /// <summary>
    /// Reads the file <paramref name="rowsPerBlock"/> rows at a time, each time it is enumerated. Each block is the kept
    /// values of up to that many rows (fewer where rows were skipped); the memory is reused, so a block is valid only
    /// until the next one is requested. The next blocks are read on other threads meanwhile, at most a few blocks
    /// ahead; stopping the enumeration stops them.
    /// </summary>
    /// <exception cref="CsvDataException">A row is malformed; raised when the enumeration reaches it.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static IEnumerable<ReadOnlyMemory<T>> ReadBlocks<T>(string path, CsvOptions? options, int rowsPerBlock)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CsvOptions checkedOptions = Check(path, options, rowsPerBlock);
        return new ReadingAhead<T>(() => Iterate<T>(path, checkedOptions, rowsPerBlock, requiredColumns: null));
    }

    /// <summary>As <see cref="ReadBlocks{T}(string, CsvOptions?, int)"/>, refusing a file whose kept columns are not <paramref name="requiredColumns"/>.</summary>
    internal static IEnumerable<ReadOnlyMemory<T>> ReadBlocks<T>(string path, CsvOptions? options, int rowsPerBlock, int requiredColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CsvOptions checkedOptions = Check(path, options, rowsPerBlock);
        return new ReadingAhead<T>(() => Iterate<T>(path, checkedOptions, rowsPerBlock, requiredColumns));
    }

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
        using var pipeline = new CsvPipeline<T>(reader, kept, path, options, rowsPerBlock);
        foreach (ReadOnlyMemory<T> block in Settled(pipeline, path, options, requiredColumns))
        {
            yield return block;
        }
    }

    /// <summary>
    /// The pipeline's blocks with <see cref="CsvOptions.BadRows"/> applied in file order: bad rows left out (their lines
    /// noted), read as NaN, or the rows before the first bad one handed on and its error thrown.
    /// </summary>
    private static IEnumerable<ReadOnlyMemory<T>> Settled<T>(CsvPipeline<T> pipeline, string path, CsvOptions options, int? requiredColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        while (pipeline.Next() is { } block)
        {
            int rows = Settle(block, options, out CsvDataException? pending);
            if (rows > 0)
            {
                if (requiredColumns is int required && block.Width != required)
                {
                    throw new CsvDataException($"{path}: {block.Width} columns were chosen, but the model takes n = {required} values per row.", 0, 0);
                }

                // The rows before a bad one are handed on before its error is thrown.
                yield return new ReadOnlyMemory<T>(block.Values, 0, rows * block.Width);
            }

            if (pending is not null)
            {
                throw pending;
            }
        }
    }

    /// <summary>Applies the options to a block's bad rows; the rows to hand on, from the block's start.</summary>
    private static int Settle<T>(CsvPipeline<T>.Block block, CsvOptions options, out CsvDataException? pending)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        pending = null;
        if (block.ProblemCount == 0)
        {
            return block.Rows;
        }

        int width = block.Width;
        Span<T> values = block.Values;
        int kept = 0;
        for (int r = 0; r < block.Rows; r++)
        {
            if (block.Problems[r] is { } problem)
            {
                switch (options.BadRows)
                {
                    case CsvBadRows.Skip:
                        options.SkippedLines?.Add(block.Lines[r]);
                        continue;
                    case CsvBadRows.AsNaN:
                        values.Slice(r * width, width).Fill(T.NaN);
                        break;
                    default:
                        pending = problem;
                        return kept;
                }
            }

            if (kept != r)
            {
                values.Slice(r * width, width).CopyTo(values.Slice(kept * width, width));
            }

            kept++;
        }

        return kept;
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

    internal static int[] AllColumns(int count)
    {
        var all = new int[count];
        for (int i = 0; i < count; i++)
        {
            all[i] = i;
        }

        return all;
    }

    /// <summary>Separators a file of numbers commonly uses, in the order they are suggested.</summary>
    private const string CommonSeparators = ",;\t|";

    /// <summary>
    /// The error for a kept value that is not a finite number, with the likely fix where the text shows one: a single
    /// column holding another common separator means the separator is wrong; text in line 1 of a file read without a
    /// header is most likely the header.
    /// </summary>
    internal static CsvDataException NotANumber(string path, int line, int column, ReadOnlySpan<char> text, int columns, bool hasHeader, char separator)
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
