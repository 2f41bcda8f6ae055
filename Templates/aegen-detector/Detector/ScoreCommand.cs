using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AeGen.Parquet;
using Spectre.Console;

namespace AeGen.Detector;

/// <summary>What <c>score</c> was asked to do. A null threshold means: read it from beside the model; a null separator is detected.</summary>
internal sealed record ScoreSettings(
    string ModelPath,
    string CsvPath,
    IReadOnlyList<int>? Columns,
    bool HasHeader,
    double? Threshold,
    string OutputPath,
    char? Separator = null,
    CsvBadRows BadRows = CsvBadRows.Throw);

/// <summary>Scores every row of a CSV or Parquet file with a saved model, streaming, and writes the score and flag of each row as CSV or Parquet.</summary>
internal static class ScoreCommand
{
    /// <returns>The process exit code.</returns>
    public static int Run(IAnsiConsole console, DetectorModel shape, ScoreSettings settings)
    {
        bool parquet = DataFile.IsParquet(settings.CsvPath);
        var skipped = new List<int>();
        CsvLayout? layout = null;
        CsvOptions? csvOptions = null;
        IReadOnlyList<string>? parquetColumns = null;
        // One row is enough to learn the column count before anything is scored.
        ReadOnlyMemory<float>? firstRow;
        if (parquet)
        {
            parquetColumns = DataFile.ParquetColumns(settings.CsvPath, settings.Columns);
            firstRow = ParquetRows.ReadBlocks<float>(settings.CsvPath, parquetColumns, rowsPerBlock: 1).Select(row => (ReadOnlyMemory<float>?)row).FirstOrDefault();
        }
        else
        {
            layout = CsvLayout.Of(settings.CsvPath, settings.HasHeader, settings.Separator);
            csvOptions = layout.Options(settings.Columns, settings.BadRows, skipped);
            firstRow = CsvRows.ReadBlocks<float>(settings.CsvPath, csvOptions, rowsPerBlock: 1).Select(row => (ReadOnlyMemory<float>?)row).FirstOrDefault();
        }

        if (firstRow is not ReadOnlyMemory<float> row)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(settings.CsvPath)} holds no data rows to score.");
            return ExitCodes.BadInput;
        }

        if (ModelShapeCheck.Describe(settings.CsvPath, row.Length, shape, settings.Columns is not null) is string mismatch)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(mismatch)}");
            return ExitCodes.BadInput;
        }

        if (SavedThreshold.Find(settings.ModelPath, settings.Threshold) is not double threshold)
        {
            console.MarkupLine($"[red]error:[/] no --threshold was given and {Markup.Escape(SavedThreshold.PathBeside(settings.ModelPath))} (written by train) does not hold a number.");
            return ExitCodes.BadInput;
        }

        if (layout?.Detected is string detected)
        {
            console.MarkupLine($"[grey]{Markup.Escape(settings.CsvPath)}: {Markup.Escape(detected)}[/]");
        }

        IAutoencoder<float> model = shape.Create();
        model.Load(settings.ModelPath);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(settings.OutputPath));
        Directory.CreateDirectory(folder!);
        int rows = 0, flagged = 0, unscorable = 0;
        IEnumerable<float> scores = parquet
            ? model.ScoreBlocks(ParquetRows.ReadBlocks<float>(settings.CsvPath, parquetColumns))
            : model.ScoreCsv(settings.CsvPath, csvOptions);
        if (DataFile.IsParquet(settings.OutputPath))
        {
            var all = new List<float>();
            var flags = new List<bool>();
            foreach (float score in scores)
            {
                all.Add(score);
                flags.Add(score > threshold);
            }

            ParquetRows.WriteScores<float>(settings.OutputPath, all.ToArray(), flags.ToArray());
            rows = all.Count;
            flagged = flags.Count(flag => flag);
            unscorable = all.Count(float.IsPositiveInfinity);
        }
        else
        {
            using var writer = new StreamWriter(settings.OutputPath);
            writer.WriteLine("row,score,anomalous");
            foreach (float score in scores)
            {
                bool anomalous = score > threshold;
                flagged += anomalous ? 1 : 0;
                unscorable += float.IsPositiveInfinity(score) ? 1 : 0;
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows},{score:R},{(anomalous ? 1 : 0)}"));
                rows++;
            }
        }

        string infinite = unscorable > 0 ? $" ({unscorable:N0} of them could not be scored: their score is +∞)" : string.Empty;
        console.MarkupLine($"{rows:N0} rows scored, {flagged:N0} above the threshold {threshold.ToString("G6", CultureInfo.InvariantCulture)}{infinite}");
        if (skipped.Count > 0)
        {
            string lines = string.Join(", ", skipped.Take(10)) + (skipped.Count > 10 ? ", …" : string.Empty);
            string what = skipped.Count == 1 ? "1 line could not be read as numbers and was skipped (line" : $"{skipped.Count:N0} lines could not be read as numbers and were skipped (lines";
            console.MarkupLine($"[yellow]{what} {lines}); the row column counts the rows scored.[/]");
        }
        console.MarkupLine($"scores: {Markup.Escape(Path.GetFullPath(settings.OutputPath))}");
        return ExitCodes.Success;
    }
}

/// <summary>The threshold <c>train</c> writes beside the model, which <c>score</c> and <c>explain</c> use unless given one.</summary>
internal static class SavedThreshold
{
    public static string PathBeside(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, TrainCommand.ThresholdFileName);

    /// <summary>The threshold given, else the one saved beside the model; null when neither is there.</summary>
    public static double? Find(string modelPath, double? given)
    {
        if (given is double value)
        {
            return value;
        }

        string path = PathBeside(modelPath);
        return File.Exists(path) && double.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double saved)
            ? saved
            : null;
    }
}
