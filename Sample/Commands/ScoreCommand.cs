using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AeGen.Sample.Data;
using AeGen.Sample.Models;
using Spectre.Console;

namespace AeGen.Sample.Commands;

/// <summary>What <c>score</c> was asked to do. A null threshold means: read it from beside the model.</summary>
internal sealed record ScoreSettings(
    string ModelPath,
    string CsvPath,
    IReadOnlyList<int>? Columns,
    bool HasHeader,
    double? Threshold,
    string OutputPath,
    char Separator = ',');

/// <summary>Scores every row of a CSV with a saved model, streaming, and writes row, score and flag per row.</summary>
internal static class ScoreCommand
{
    /// <returns>The process exit code.</returns>
    public static int Run(IAnsiConsole console, ScoreSettings settings)
    {
        var csvOptions = new CsvOptions { HasHeader = settings.HasHeader, Separator = settings.Separator, Columns = settings.Columns };
        // One row is enough to learn the column count before anything is scored.
        ReadOnlyMemory<float>? firstRow = CsvRows.ReadBlocks<float>(settings.CsvPath, csvOptions, rowsPerBlock: 1).Select(row => (ReadOnlyMemory<float>?)row).FirstOrDefault();
        if (firstRow is not ReadOnlyMemory<float> row)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(settings.CsvPath)} holds no data rows to score.");
            return ExitCodes.BadInput;
        }

        int columns = row.Length;
        if (ModelShapeCheck.Describe(settings.CsvPath, columns, DigitsAutoencoder.Inputs, settings.Columns is not null) is string mismatch)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(mismatch)}");
            return ExitCodes.BadInput;
        }

        double threshold;
        if (settings.Threshold is double given)
        {
            threshold = given;
        }
        else
        {
            string thresholdPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(settings.ModelPath))!, TrainCommand.ThresholdFileName);
            if (!File.Exists(thresholdPath)
                || !double.TryParse(File.ReadAllText(thresholdPath).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out threshold))
            {
                console.MarkupLine($"[red]error:[/] no --threshold was given and {Markup.Escape(thresholdPath)} (written by train) does not hold a number.");
                return ExitCodes.BadInput;
            }
        }

        var model = new DigitsAutoencoder();
        model.Load(settings.ModelPath);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(settings.OutputPath));
        Directory.CreateDirectory(folder!);
        int rows = 0, flagged = 0;
        using (var writer = new StreamWriter(settings.OutputPath))
        {
            writer.WriteLine("row,score,anomalous");
            foreach (float score in model.ScoreCsv(settings.CsvPath, csvOptions))
            {
                bool anomalous = score > threshold;
                flagged += anomalous ? 1 : 0;
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows},{score:R},{(anomalous ? 1 : 0)}"));
                rows++;
            }
        }

        console.MarkupLine($"{rows:N0} rows scored, {flagged:N0} above the threshold {threshold.ToString("G6", CultureInfo.InvariantCulture)}");
        console.MarkupLine($"scores: {Markup.Escape(Path.GetFullPath(settings.OutputPath))}");
        return ExitCodes.Success;
    }
}
