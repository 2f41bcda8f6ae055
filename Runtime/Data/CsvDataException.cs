using System;

namespace AeGen;

/// <summary>A CSV file cannot be read as rows of numbers; <see cref="Line"/> and <see cref="Column"/> say where.</summary>
public sealed class CsvDataException : FormatException
{
    /// <summary>Creates the exception for a problem at a 1-based line and column (0 when the problem is not in one cell).</summary>
    public CsvDataException(string message, int line, int column)
        : base(message)
    {
        Line = line;
        Column = column;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public CsvDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public CsvDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public CsvDataException()
        : base("The CSV data cannot be read as rows of numbers.")
    {
    }

    /// <summary>The 1-based line of the file where the problem is, or 0.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the file where the problem is, or 0 when it concerns a whole line.</summary>
    public int Column { get; }
}
