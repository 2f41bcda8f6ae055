using System.Collections.Generic;

namespace AeGen;

/// <summary>How <see cref="CsvRows"/> reads a file: the separator, whether the first line names the columns, and which columns to keep.</summary>
public sealed class CsvOptions
{
    /// <summary>Whether the first line holds column names rather than values. Default false.</summary>
    public bool HasHeader { get; init; }

    /// <summary>The column separator. Default ','.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>Zero-based indices of the columns to keep, in the order wanted; null keeps all (unless <see cref="ColumnNames"/> is set).</summary>
    public IReadOnlyList<int>? Columns { get; init; }

    /// <summary>Names of the columns to keep, in the order wanted; needs <see cref="HasHeader"/>. Cannot be combined with <see cref="Columns"/>.</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>What to do with a row that is not a row of finite numbers in the kept columns. Default <see cref="CsvBadRows.Throw"/>.</summary>
    public CsvBadRows BadRows { get; init; }

    /// <summary>Where the line numbers (counting from 1) of rows skipped under <see cref="CsvBadRows.Skip"/> are added, if set.</summary>
    public ICollection<int>? SkippedLines { get; init; }
}

/// <summary>What <see cref="CsvRows"/> does with a row it cannot read as finite numbers (too few or too many columns, or a value that is not a finite number).</summary>
public enum CsvBadRows
{
    /// <summary>Throw a <see cref="CsvDataException"/> naming the line and column, once every row before it has been handed on (a streaming reader yields them first).</summary>
    Throw,

    /// <summary>Leave the row out and go on; its line number is added to <see cref="CsvOptions.SkippedLines"/>.</summary>
    Skip,

    /// <summary>
    /// Read the row as n NaN values and go on, so that the rows keep their positions: scored, such a row scores +∞ and
    /// is flagged. (<c>Fit</c> refuses it.)
    /// </summary>
    AsNaN,
}
