using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AeGen.Detector;

/// <summary>
/// Labels a person gave the rows of a CSV: one per row, in the same order, 1 (or true) for an anomaly and 0 (or false)
/// for a normal row. The file is either one column, or has a header with a column named <c>anomalous</c> (as
/// tools/Telemetry.cs and the score command write it).
/// </summary>
internal static class LabelFile
{
    /// <returns>The labels, or null with <paramref name="error"/> saying what is wrong.</returns>
    public static bool[]? Read(string path, int rows, out string error)
    {
        string[] lines = File.ReadLines(path).Where(line => line.Length > 0).ToArray();
        int column = 0;
        int first = 0;
        if (lines.Length > 0 && !IsLabel(lines[0].Split(',')[0]))
        {
            column = Array.FindIndex(lines[0].Split(','), name => name.Trim() == "anomalous");
            if (column < 0)
            {
                error = $"{path}: line 1 is neither a label (0 or 1) nor a header with a column named 'anomalous'.";
                return null;
            }

            first = 1;
        }

        if (lines.Length - first != rows)
        {
            error = $"{path} has {lines.Length - first} labels, but the training CSV has {rows} rows; give one label per row, in the same order.";
            return null;
        }

        var labels = new bool[rows];
        for (int i = 0; i < rows; i++)
        {
            string[] fields = lines[first + i].Split(',');
            string text = column < fields.Length ? fields[column].Trim() : string.Empty;
            if (!IsLabel(text))
            {
                error = $"{path} line {first + i + 1}: '{text}' is not a label; use 1 or true for an anomaly, 0 or false for a normal row.";
                return null;
            }

            labels[i] = text is "1" or "true" or "True";
        }

        error = string.Empty;
        return labels;
    }

    private static bool IsLabel(string text) => text.Trim() is "0" or "1" or "true" or "false" or "True" or "False";
}
