using System;
using System.Collections.Generic;
using System.Globalization;

namespace AeGen.Detector;

/// <summary>Zero-based column indices written as a comma-separated list of indices and inclusive ranges: "0-63", "1,3,5-9".</summary>
internal static class ColumnList
{
    public static bool TryParse(string text, out int[] columns, out string error, string option = "--columns")
    {
        var list = new List<int>();
        columns = [];
        error = "";
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length is < 1 or > 2
                || !int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(ends[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last))
            {
                error = $"'{part}' in {option} '{text}' is not a column index or a range such as 0-63 (zero-based, comma-separated).";
                return false;
            }

            if (last < first)
            {
                error = $"The range '{part}' in {option} '{text}' ends before it starts.";
                return false;
            }

            for (int column = first; column <= last; column++)
            {
                list.Add(column);
            }
        }

        columns = list.ToArray();
        return true;
    }
}
