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
}
