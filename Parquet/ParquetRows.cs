using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace AeGen.Parquet;

/// <summary>
/// Rows of numbers from Parquet files, next to <see cref="CsvRows"/>: chosen columns of every row at once, or in blocks
/// of rows for data larger than memory (the streaming <c>Fit</c> and <c>Score</c>), and a column of values (scores)
/// written as a Parquet file. Columns of float, double, 16-, 32- or 64-bit integers are read, nullable or not; a
/// null or a value that is not finite is refused with its row and column. The methods are synchronous, like
/// <see cref="CsvRows"/>'s, and read a row group's chosen columns at a time, so memory follows the file's row groups.
/// </summary>
public static class ParquetRows
{
    /// <summary>Reads every row of the chosen columns (all columns when <paramref name="columns"/> is null) into a table that knows its width and column names.</summary>
    /// <exception cref="ParquetDataException">A column is missing or not numeric, a value is null or not finite, or the file holds no rows.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RowTable<T> Read<T>(string path, IReadOnlyList<string>? columns = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new List<T>();
        string[]? names = null;
        foreach (ReadOnlyMemory<T> block in Iterate<T>(path, columns, 65_536, chosen => names = chosen))
        {
            values.AddRange(block.Span);
        }

        if (values.Count == 0)
        {
            throw new ParquetDataException($"{path} holds no rows.", 0, null);
        }

        return new RowTable<T>(values.ToArray(), names!.Length, names, path);
    }

    /// <summary>
    /// Reads the chosen columns (all when <paramref name="columns"/> is null) <paramref name="rowsPerBlock"/> rows at a
    /// time, row after row; the memory is reused, so a block is valid only until the next one is requested. Enumerating
    /// again reads the file again, as the streaming <c>Fit</c> does once per epoch.
    /// </summary>
    /// <exception cref="ParquetDataException">As <see cref="Read{T}"/>; raised when the enumeration reaches the problem.</exception>
    public static IEnumerable<ReadOnlyMemory<T>> ReadBlocks<T>(string path, IReadOnlyList<string>? columns = null, int rowsPerBlock = 4096)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerBlock);
        return Iterate<T>(path, columns, rowsPerBlock, null);
    }

    /// <summary>
    /// Writes <paramref name="values"/> as a Parquet file of one column named <paramref name="column"/> (one row each),
    /// atomically: to a temporary file beside it, then renamed over any previous one, which stays whole until then.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written; any previous file is untouched.</exception>
    public static void WriteColumn<T>(string path, ReadOnlySpan<T> values, string column = "score")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(column);
        Write(path, values, column, flags: null);
    }

    /// <summary>
    /// Writes anomaly scores as a Parquet file of two columns, <c>score</c> and <c>anomalous</c> (a boolean per row),
    /// one row per score in the order given, atomically as <see cref="WriteColumn{T}"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The two spans differ in length.</exception>
    /// <exception cref="IOException">The file cannot be written; any previous file is untouched.</exception>
    public static void WriteScores<T>(string path, ReadOnlySpan<T> scores, ReadOnlySpan<bool> anomalous)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (anomalous.Length != scores.Length)
        {
            throw new ArgumentException($"anomalous holds {anomalous.Length} flags, but there are {scores.Length} scores: one flag per score.", nameof(anomalous));
        }

        Write(path, scores, "score", anomalous.ToArray());
    }

    /// <summary>A file of the values as one column of float (or double, for any other precision), and the flags, if given, as a boolean column beside it.</summary>
    private static void Write<T>(string path, ReadOnlySpan<T> values, string column, bool[]? flags)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var buffer = new MemoryStream();
        if (typeof(T) == typeof(float))
        {
            WriteGroup(buffer, new DataField<float>(column), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(values).ToArray(), flags);
        }
        else
        {
            WriteGroup(buffer, new DataField<double>(column), values.ToArray().Select(v => double.CreateChecked(v)).ToArray(), flags);
        }

        AtomicFile.Write(path, buffer.ToArray());
    }

    /// <summary>The names of every column of the file, in its order (the numeric ones and any other).</summary>
    /// <exception cref="ParquetDataException">The file is not Parquet.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string[] ColumnNames(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ParquetReader reader = Open(path);
        try
        {
            return Array.ConvertAll(reader.Schema.GetDataFields(), f => f.Name);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void WriteGroup<TValue>(Stream stream, DataField<TValue> field, TValue[] values, bool[]? flags)
        where TValue : struct
    {
        var flagField = new DataField<bool>("anomalous");
        var schema = flags is null ? new ParquetSchema(field) : new ParquetSchema(field, flagField);
        ParquetWriter writer = ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult();
        try
        {
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            group.WriteAsync<TValue>(field, values).GetAwaiter().GetResult();
            if (flags is not null)
            {
                group.WriteAsync<bool>(flagField, flags).GetAwaiter().GetResult();
            }
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static IEnumerable<ReadOnlyMemory<T>> Iterate<T>(string path, IReadOnlyList<string>? columns, int rowsPerBlock, Action<string[]>? chosen)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ParquetReader reader = Open(path);
        try
        {
            DataField[] fields = Choose(reader, columns, path);
            chosen?.Invoke(Array.ConvertAll(fields, f => f.Name));
            int width = fields.Length;
            T[] block = new T[rowsPerBlock * width];
            int filled = 0;
            long firstRowOfGroup = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                int rows = checked((int)group.RowCount);
                var groupColumns = new T[width][];
                for (int c = 0; c < width; c++)
                {
                    groupColumns[c] = ReadColumn<T>(group, fields[c], rows, firstRowOfGroup, path);
                }

                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < width; c++)
                    {
                        block[(filled * width) + c] = groupColumns[c][r];
                    }

                    if (++filled == rowsPerBlock)
                    {
                        yield return new ReadOnlyMemory<T>(block, 0, filled * width);
                        filled = 0;
                    }
                }

                firstRowOfGroup += rows;
            }

            if (filled > 0)
            {
                yield return new ReadOnlyMemory<T>(block, 0, filled * width);
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static ParquetReader Open(string path)
    {
        try
        {
            return ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is not (FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or OutOfMemoryException))
        {
            throw new ParquetDataException($"{path} is not a Parquet file that can be read: {error.Message}", error);
        }
    }

    /// <summary>The data fields of the chosen columns, in the order asked for; every one must exist and be numeric.</summary>
    private static DataField[] Choose(ParquetReader reader, IReadOnlyList<string>? columns, string path)
    {
        DataField[] all = reader.Schema.GetDataFields();
        DataField[] fields;
        if (columns is null)
        {
            fields = all;
        }
        else
        {
            fields = new DataField[columns.Count];
            for (int i = 0; i < columns.Count; i++)
            {
                fields[i] = Array.Find(all, f => f.Name == columns[i])
                    ?? throw new ParquetDataException($"{path} has no column named '{columns[i]}'; its columns are {string.Join(", ", all.Select(f => f.Name))}.", 0, columns[i]);
            }
        }

        if (fields.Length == 0)
        {
            throw new ParquetDataException($"{path}: no columns were chosen.", 0, null);
        }

        DataField[] other = fields.Where(f => !IsNumeric(f.ClrType)).ToArray();
        if (other.Length > 0)
        {
            string numeric = string.Join(", ", all.Where(f => IsNumeric(f.ClrType)).Select(f => f.Name));
            throw new ParquetDataException(
                $"{path}: column '{other[0].Name}' holds {Describe(other[0].ClrType)} values, not numbers; choose numeric columns ({(numeric.Length == 0 ? "the file has none" : numeric)}).",
                0, other[0].Name);
        }

        return fields;
    }

    /// <summary>A column's type as a reader of the message knows it (Parquet.Net reads text as memories of characters).</summary>
    private static string Describe(Type type) =>
        type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? "text" : type.Name;

    private static bool IsNumeric(Type type) =>
        type == typeof(float) || type == typeof(double) || type == typeof(short) || type == typeof(int) || type == typeof(long);

    /// <summary>A column of a row group as <typeparamref name="T"/>, every value checked to be present and finite.</summary>
    private static T[] ReadColumn<T>(ParquetRowGroupReader group, DataField field, int rows, long firstRow, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Type type = field.ClrType;
        return type == typeof(float) ? Convert<float, T>(group, field, rows, firstRow, path)
            : type == typeof(double) ? Convert<double, T>(group, field, rows, firstRow, path)
            : type == typeof(short) ? Convert<short, T>(group, field, rows, firstRow, path)
            : type == typeof(int) ? Convert<int, T>(group, field, rows, firstRow, path)
            : Convert<long, T>(group, field, rows, firstRow, path);
    }

    private static T[] Convert<TValue, T>(ParquetRowGroupReader group, DataField field, int rows, long firstRow, string path)
        where TValue : struct, INumberBase<TValue>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[rows];
        if (field.IsNullable)
        {
            var values = new TValue?[rows];
            group.ReadAsync<TValue>(field, values).GetAwaiter().GetResult();
            for (int r = 0; r < rows; r++)
            {
                result[r] = values[r] is TValue value ? T.CreateTruncating(value) : throw Missing(path, firstRow + r, field.Name);
            }
        }
        else
        {
            var values = new TValue[rows];
            group.ReadAsync<TValue>(field, values).GetAwaiter().GetResult();
            for (int r = 0; r < rows; r++)
            {
                result[r] = T.CreateTruncating(values[r]);
            }
        }

        for (int r = 0; r < rows; r++)
        {
            if (!T.IsFinite(result[r]))
            {
                throw new ParquetDataException(
                    $"{path} row {firstRow + r + 1}, column '{field.Name}' (rows counting from 1): {result[r]} is not a finite number.", firstRow + r + 1, field.Name);
            }
        }

        return result;
    }

    private static ParquetDataException Missing(string path, long row, string column) =>
        new($"{path} row {row + 1}, column '{column}' (rows counting from 1): the value is null; fill or drop such rows first.", row + 1, column);
}
