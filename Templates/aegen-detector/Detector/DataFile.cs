using System;
using System.Collections.Generic;
using System.Linq;
using AeGen.Parquet;

namespace AeGen.Detector;

/// <summary>
/// Where rows come from and where scores go: Parquet files (by their <c>.parquet</c> extension) or CSV. Parquet
/// columns are chosen by the same indices (counting from 0) as CSV columns; a Parquet file names its columns itself,
/// so <c>--header</c> and <c>--separator</c> do not apply to it.
/// </summary>
internal static class DataFile
{
    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>The names of a Parquet file's columns at <paramref name="columns"/>, or null (all columns) when none are chosen.</summary>
    /// <exception cref="ParquetDataException">An index is past the file's columns.</exception>
    public static IReadOnlyList<string>? ParquetColumns(string path, IReadOnlyList<int>? columns)
    {
        if (columns is null)
        {
            return null;
        }

        string[] names = ParquetRows.ColumnNames(path);
        if (columns.FirstOrDefault(c => c >= names.Length, -1) is int missing && missing >= 0)
        {
            throw new ParquetDataException(
                $"{path}: --columns names column {missing} (counting from 0), but the file has {names.Length} columns ({string.Join(", ", names)}).");
        }

        return columns.Select(c => names[c]).ToArray();
    }

    /// <summary>Every row of the chosen columns, with the count of columns.</summary>
    public static (float[] Values, int Columns) ReadParquet(string path, IReadOnlyList<int>? columns)
    {
        RowTable<float> table = ParquetRows.Read<float>(path, ParquetColumns(path, columns));
        return (table.Values.ToArray(), table.Columns);
    }
}
