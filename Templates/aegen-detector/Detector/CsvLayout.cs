using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AeGen.Detector;

/// <summary>What the first lines of a CSV say about how to read it: its separator, and whether line 1 names the columns.</summary>
/// <param name="Separator">The separator given, or else the one detected.</param>
/// <param name="HasHeader">Whether line 1 is read as column names.</param>
/// <param name="ColumnNames">Line 1's fields when it is a header; otherwise null.</param>
/// <param name="Detected">What was detected rather than given, as a sentence for the user; null when nothing was.</param>
internal sealed record CsvLayout(char Separator, bool HasHeader, IReadOnlyList<string>? ColumnNames, string? Detected)
{
    /// <summary>Separators a file of numbers commonly uses, in the order they are preferred.</summary>
    private const string Candidates = ",;\t|";

    /// <summary>
    /// Reads the file's first two lines. The separator, unless given, is the candidate found equally often, and at
    /// least once, in both lines (the first such in ",;\t|" order; ',' if none is). Unless a header is given, line 1
    /// is a header when it holds a field that is not a number while every field of line 2 is one.
    /// </summary>
    public static CsvLayout Of(string path, bool header, char? separator)
    {
        string[] lines = File.ReadLines(path).Where(line => line.Length > 0).Take(2).ToArray();
        var detected = new List<string>();
        char chosen = separator ?? Detect(lines, detected);
        bool hasHeader = header;
        if (!header && lines.Length == 2 && !AllNumbers(lines[0], chosen) && AllNumbers(lines[1], chosen))
        {
            hasHeader = true;
            detected.Add("line 1 is read as column names (it is not all numbers; line 2 is)");
        }

        IReadOnlyList<string>? names = hasHeader && lines.Length > 0 ? lines[0].Split(chosen).Select(name => name.Trim()).ToArray() : null;
        return new CsvLayout(chosen, hasHeader, names, detected.Count == 0 ? null : string.Join("; ", detected));
    }

    /// <summary>Options that read the file this way, keeping <paramref name="columns"/> (null: all), with what bad rows do.</summary>
    public CsvOptions Options(IReadOnlyList<int>? columns, CsvBadRows badRows = CsvBadRows.Throw, ICollection<int>? skippedLines = null) =>
        new() { HasHeader = HasHeader, Separator = Separator, Columns = columns, BadRows = badRows, SkippedLines = skippedLines };

    /// <summary>The name of the file's column <paramref name="fileColumn"/>: from the header if there is one, else "column j" (counting from 0).</summary>
    public string NameOf(int fileColumn) =>
        ColumnNames is { } names && fileColumn < names.Count ? names[fileColumn] : $"column {fileColumn}";

    private static char Detect(string[] lines, List<string> detected)
    {
        if (lines.Length == 0)
        {
            return ',';
        }

        foreach (char candidate in Candidates)
        {
            int count = lines[0].Count(c => c == candidate);
            if (count > 0 && (lines.Length == 1 || lines[1].Count(c => c == candidate) == count))
            {
                if (candidate != ',')
                {
                    detected.Add($"the separator is {(candidate == '\t' ? "tab" : $"'{candidate}'")}");
                }

                return candidate;
            }
        }

        return ',';
    }

    private static bool AllNumbers(string line, char separator) =>
        line.Split(separator).All(field => double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _));
}
