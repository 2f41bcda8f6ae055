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

    /// <summary>Creates the exception for a problem at a 1-based line and column that a change of options is likely to fix.</summary>
    public CsvDataException(string message, int line, int column, CsvFix fix, char suggestedSeparator = '\0')
        : this(message, line, column)
    {
        Fix = fix;
        SuggestedSeparator = suggestedSeparator;
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

    /// <summary>The change of <see cref="CsvOptions"/> that likely fixes the problem (the message says it too), so that a front end can phrase it in its own terms.</summary>
    public CsvFix Fix { get; }

    /// <summary>The separator the file seems to use, when <see cref="Fix"/> is <see cref="CsvFix.SetSeparator"/>; otherwise '\0'.</summary>
    public char SuggestedSeparator { get; }
}

/// <summary>What a <see cref="CsvDataException"/> suggests changing.</summary>
public enum CsvFix
{
    /// <summary>No change of options is known to help.</summary>
    None,

    /// <summary>The first line looks like column names: set <see cref="CsvOptions.HasHeader"/>.</summary>
    SetHasHeader,

    /// <summary>The file seems to use another separator: set <see cref="CsvOptions.Separator"/> to <see cref="CsvDataException.SuggestedSeparator"/>.</summary>
    SetSeparator,
}
