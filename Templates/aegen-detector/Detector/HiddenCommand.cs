using System;
using System.Collections.Generic;
using System.Globalization;
using Spectre.Console;

namespace AeGen.Detector;

/// <summary>What <c>hidden</c> was asked to do: the rows to compare hidden sizes on, and how to train each size.</summary>
internal sealed record HiddenSettings(
    string CsvPath,
    IReadOnlyList<int>? Columns,
    bool HasHeader,
    int Epochs,
    double ValidationFraction,
    ScalerKind Scaling = ScalerKind.MinMax,
    char? Separator = null);

/// <summary>
/// Helps choose k: trains a model of each candidate hidden size on the CSV's rows (shaped at run time, so no
/// declaration is needed to try one), shows each size's validation cost, and names the declaration to write.
/// </summary>
internal static class HiddenCommand
{
    /// <returns>The process exit code.</returns>
    public static int Run(IAnsiConsole console, DetectorModel shape, HiddenSettings settings)
    {
        CsvLayout layout = CsvLayout.Of(settings.CsvPath, settings.HasHeader, settings.Separator);
        (float[] values, int columns) = CsvRows.ReadAll<float>(settings.CsvPath, layout.Options(settings.Columns));
        int rows = values.Length / columns;
        int validationRows = (int)(rows * settings.ValidationFraction);
        if (validationRows < 1 || rows - validationRows < 1)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(settings.CsvPath)} has {rows} rows; comparing sizes needs rows to train on and, with --validation-fraction {settings.ValidationFraction.ToString(CultureInfo.InvariantCulture)}, at least one to compare on.");
            return ExitCodes.BadInput;
        }

        IReadOnlyList<int> sizes = HiddenSizes.Candidates(columns);
        console.MarkupLine(Markup.Escape($"training {sizes.Count} sizes of [Autoencoder({columns}, k)] on {rows - validationRows:N0} rows, compared on the last {validationRows:N0}"));
        var options = new TrainingOptions
        {
            Epochs = settings.Epochs,
            BatchSize = 64,
            Optimizer = new Adam(learningRate: 0.01),
            ValidationRows = (DataRows)values[((rows - validationRows) * columns)..],
            Scaling = settings.Scaling,
        };
        HiddenSizeReport report = HiddenSizes.Compare<float>(values.AsSpan(0, (rows - validationRows) * columns), columns, sizes, options);

        var table = new Table().AddColumns("k", "validation cost", "parameters", "training", string.Empty);
        foreach (HiddenSizeTrial trial in report.Trials)
        {
            var notes = new List<string>();
            if (trial.Hidden == report.Suggested)
            {
                notes.Add("suggested");
            }

            if (trial.Hidden == shape.Hidden && columns == shape.Inputs)
            {
                notes.Add("declared now");
            }

            table.AddRow(
                trial.Hidden.ToString(CultureInfo.InvariantCulture),
                trial.ValidationCost.ToString("G4", CultureInfo.InvariantCulture),
                trial.ParameterCount.ToString("N0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{trial.Elapsed.TotalSeconds:F1} s"),
                string.Join(", ", notes));
        }

        console.Write(table);
        console.MarkupLine(
            $"k = {report.Suggested} captures {HiddenSizes.SufficientShare:P0} of what the sizes tried gain over k = {report.Trials[0].Hidden}; "
            + $"fewer units miss normal structure (false alarms), more learn to copy anomalies too (missed ones).");
        string declared = $"[Autoencoder({columns}, {report.Suggested})]";
        console.MarkupLine(declared == shape.Declaration
            ? $"{Markup.Escape(shape.DeclaredIn)} already declares {Markup.Escape(declared)}."
            : $"To use it, declare {Markup.Escape(declared)} in {Markup.Escape(shape.DeclaredIn)} (now {Markup.Escape(shape.Declaration)}) and rebuild.");
        return ExitCodes.Success;
    }
}
