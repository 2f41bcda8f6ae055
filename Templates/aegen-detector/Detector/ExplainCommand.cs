using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Spectre.Console;

namespace AeGen.Detector;

/// <summary>What <c>explain</c> was asked to do: which rows (null: the highest-scoring ones) and how many columns each.</summary>
internal sealed record ExplainSettings(
    string ModelPath,
    string CsvPath,
    IReadOnlyList<int>? Columns,
    bool HasHeader,
    IReadOnlyList<int>? Rows,
    int Top,
    char? Separator = null);

/// <summary>
/// Says why rows scored as they did: for each row asked for (by default the five that score highest), its score, and
/// the columns whose reconstruction errors are largest, with their share of the row's error.
/// </summary>
internal static class ExplainCommand
{
    /// <summary>Rows explained when none are named.</summary>
    public const int DefaultRows = 5;

    /// <returns>The process exit code.</returns>
    public static int Run(IAnsiConsole console, DetectorModel shape, ExplainSettings settings)
    {
        CsvLayout layout = CsvLayout.Of(settings.CsvPath, settings.HasHeader, settings.Separator);
        var csvOptions = layout.Options(settings.Columns, CsvBadRows.AsNaN);
        (float[] values, int columns) = CsvRows.ReadAll<float>(settings.CsvPath, csvOptions);
        if (ModelShapeCheck.Describe(settings.CsvPath, columns, shape, settings.Columns is not null) is string mismatch)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(mismatch)}");
            return ExitCodes.BadInput;
        }

        int rows = values.Length / columns;
        if (settings.Rows?.Where(r => r >= rows).Select(r => (int?)r).FirstOrDefault() is int missing)
        {
            console.MarkupLine($"[red]error:[/] --rows names row {missing}, but {Markup.Escape(settings.CsvPath)} has rows 0 to {rows - 1} (counting from 0, as score's row column).");
            return ExitCodes.BadInput;
        }

        IAutoencoder<float> model = shape.Create();
        model.Load(settings.ModelPath);
        float[] scores = model.Score(values);
        double? threshold = SavedThreshold.Find(settings.ModelPath, given: null);
        IEnumerable<int> chosen = settings.Rows ?? Enumerable.Range(0, rows).OrderByDescending(r => scores[r]).Take(DefaultRows);
        int[] fileColumns = settings.Columns?.ToArray() ?? Enumerable.Range(0, columns).ToArray();

        var table = new Table().AddColumns("row", "score", "anomalous", "columns with the largest errors (share of the row's error)");
        foreach (int r in chosen)
        {
            ColumnError<float>[] top = model.Explain(values.AsSpan(r * columns, columns), settings.Top);
            string blamed = string.Join(", ", top.Select(c => string.Create(CultureInfo.InvariantCulture, $"{layout.NameOf(fileColumns[c.Column])} {c.Share:P0}")));
            string flag = threshold is double t ? (scores[r] > t ? "yes" : "no") : "?";
            table.AddRow(r.ToString(CultureInfo.InvariantCulture), scores[r].ToString("G5", CultureInfo.InvariantCulture), flag, Markup.Escape(blamed));
        }

        console.Write(table);
        if (threshold is null)
        {
            console.MarkupLine($"[grey]no threshold beside the model ({Markup.Escape(SavedThreshold.PathBeside(settings.ModelPath))}), so rows are not marked anomalous or not[/]");
        }

        return ExitCodes.Success;
    }
}
