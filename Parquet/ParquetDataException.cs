using System;

namespace AeGen.Parquet;

/// <summary>A Parquet file cannot be read as rows of numbers; <see cref="Row"/> and <see cref="Column"/> say where.</summary>
public sealed class ParquetDataException : FormatException
{
    /// <summary>Creates the exception for a problem at a row (counting from 1; 0 when it is not in one row) of a column.</summary>
    public ParquetDataException(string message, long row, string? column)
        : base(message)
    {
        Row = row;
        Column = column;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ParquetDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public ParquetDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The row of the file, counting from 1 across its row groups; 0 when the problem is not in one row.</summary>
    public long Row { get; }

    /// <summary>The column's name, or null when the problem is not in one column.</summary>
    public string? Column { get; }
}
