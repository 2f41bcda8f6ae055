using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.IO;
using AeGen.Onnx;
using Spectre.Console;

namespace AeGen.Detector;

/// <summary>What <c>train</c> was asked to do. A null separator is detected, and so is a header unless one is given.</summary>
internal sealed record TrainSettings(
    string CsvPath,
    IReadOnlyList<int>? Columns,
    bool HasHeader,
    int Epochs,
    int BatchSize,
    double LearningRate,
    int Seed,
    double ValidationFraction,
    double Quantile,
    string OutputFolder,
    double? Contamination = null,
    char? Separator = null,
    ScalerKind Scaling = ScalerKind.MinMax,
    int? Patience = null,
    string? LabelsPath = null);

/// <summary>
/// Trains the compiled model on the user's CSV (scaled, last rows held out for validation), saves it, and writes the
/// anomaly threshold that <c>score</c> uses by default.
/// </summary>
internal static class TrainCommand
{
    public const string ModelFileName = "model.safetensors";
    public const string ThresholdFileName = "threshold.txt";

    /// <summary>The model as ONNX, for serving engines: the scaler folded in, the score an output.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <returns>The process exit code.</returns>
    public static int Run(IAnsiConsole console, DetectorModel shape, TrainSettings settings)
    {
        float[] values;
        int columns;
        if (DataFile.IsParquet(settings.CsvPath))
        {
            (values, columns) = DataFile.ReadParquet(settings.CsvPath, settings.Columns);
        }
        else
        {
            CsvLayout layout = CsvLayout.Of(settings.CsvPath, settings.HasHeader, settings.Separator);
            if (layout.Detected is string detected)
            {
                console.MarkupLine($"[grey]{Markup.Escape(settings.CsvPath)}: {Markup.Escape(detected)}[/]");
            }

            (values, columns) = CsvRows.ReadAll<float>(settings.CsvPath, layout.Options(settings.Columns));
        }

        if (ModelShapeCheck.Describe(settings.CsvPath, columns, shape, settings.Columns is not null) is string mismatch)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(mismatch)}");
            return ExitCodes.BadInput;
        }

        int rows = values.Length / columns;
        int validationRows = (int)(rows * settings.ValidationFraction);
        if (rows - validationRows < 1)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(settings.CsvPath)} has {rows} rows; training needs at least one row outside the validation fraction {settings.ValidationFraction}.");
            return ExitCodes.BadInput;
        }

        if (settings.Patience is not null && validationRows == 0)
        {
            console.MarkupLine("[red]error:[/] --patience stops on the validation cost, but --validation-fraction 0 holds no rows out.");
            return ExitCodes.BadInput;
        }

        bool[]? labels = null;
        if (settings.LabelsPath is string labelsPath)
        {
            labels = LabelFile.Read(labelsPath, rows, out string labelError);
            if (labels is null)
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(labelError)}");
                return ExitCodes.BadInput;
            }

            if (!labels.Contains(true) || !labels.Contains(false))
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(labelsPath)} labels {labels.Count(label => label)} of {rows} rows anomalous; choosing a threshold on labels needs both kinds.");
                return ExitCodes.BadInput;
            }
        }

        int firstValidation = rows - validationRows;
        float[] training = Rows(values[..(firstValidation * columns)], columns, r => labels is null || !labels[r]);
        float[] validation = Rows(values[(firstValidation * columns)..], columns, r => labels is null || !labels[firstValidation + r]);
        if (training.Length == 0)
        {
            console.MarkupLine($"[red]error:[/] every training row of {Markup.Escape(settings.CsvPath)} is labelled anomalous; training needs normal rows.");
            return ExitCodes.BadInput;
        }

        string scaling = settings.Scaling switch { ScalerKind.MinMax => "min-max scaled", ScalerKind.Standard => "standardized", _ => "not scaled" };
        string withoutLabelled = labels is null ? string.Empty : $" (leaving out the {labels.Count(label => label):N0} labelled anomalous)";
        console.MarkupLine($"{training.Length / columns:N0} rows for training, {validation.Length / columns:N0} for validation{withoutLabelled}, {columns} columns, {scaling}");
        var options = new TrainingOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            Optimizer = new Adam(learningRate: settings.LearningRate),
            Seed = settings.Seed,
            ValidationRows = validation.Length > 0 ? (DataRows)validation : (DataRows?)null,
            Scaling = settings.Scaling,
            Patience = settings.Patience,
        };
        IAutoencoder<float> model = shape.Create();
        TrainingReport report = LiveTraining.Fit(console, model, training, options, shape.Shape);
        if (settings.Contamination is double contamination)
        {
            // Rows that are anomalies pull the scaler's ranges and the model towards themselves; a second model trained
            // without the share that the first reconstructs worst sees (mostly) normal rows only.
            float[] scores = model.Score(training);
            float cut = AnomalyThreshold.FromContamination<float>(scores, contamination);
            float[] kept = Rows(training, columns, r => scores[r] <= cut);
            int dropped = scores.Length - (kept.Length / columns);
            console.MarkupLine($"{dropped:N0} training rows scored in the worst {contamination.ToString("0.###%", CultureInfo.InvariantCulture)}; training again without them");
            model = shape.Create();
            report = LiveTraining.Fit(console, model, kept, options, shape.Shape);
        }

        console.MarkupLine(Markup.Escape(report.Message));
        foreach (string warning in report.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }

        if (report.Warnings.Count > 0 && settings.Scaling == ScalerKind.None)
        {
            console.MarkupLine("[yellow]hint:[/] here that is --scaling minmax (the default) or --scaling standard");
        }

        Directory.CreateDirectory(settings.OutputFolder);
        string modelPath = Path.Combine(settings.OutputFolder, ModelFileName);
        model.Save(modelPath);
        string onnxPath = Path.Combine(settings.OutputFolder, OnnxFileName);
        model.ExportOnnx(onnxPath);
        float threshold = settings.Contamination is double share
            ? AnomalyThreshold.FromContamination<float>(model.Score(training), share)
            : model.AnomalyThresholdFromQuantile(training, settings.Quantile);
        string rule = settings.Contamination is double expected
            ? $"flags the {expected.ToString("0.###%", CultureInfo.InvariantCulture)} of training rows that reconstruct worst, as --contamination asked"
            : $"the {settings.Quantile.ToString(CultureInfo.InvariantCulture)} quantile of the training rows' scores";
        if (labels is not null)
        {
            // Both rules on the labelled rows, and the one chosen on them is kept.
            float[] scores = model.Score(values);
            LabelledThreshold<float> best = AnomalyThreshold.FromLabels<float>(scores, labels);
            LabelledThreshold<float> byRule = AnomalyThreshold.Evaluate<float>(scores, labels, threshold);
            console.MarkupLine($"on the {rows:N0} labelled rows: {Markup.Escape(rule)} {Describe(byRule)}; the best F1 {Describe(best)}");
            threshold = best.Threshold;
            rule = $"the best F1 on the labelled rows: precision {best.Precision.ToString("P1", CultureInfo.InvariantCulture)}, recall {best.Recall.ToString("P1", CultureInfo.InvariantCulture)}";
        }
        string thresholdPath = Path.Combine(settings.OutputFolder, ThresholdFileName);
        File.WriteAllText(thresholdPath, threshold.ToString("R", CultureInfo.InvariantCulture) + "\n");
        string costPath = Path.Combine(settings.OutputFolder, "cost.png");
        CostCurvePicture.Write(costPath, report.Epochs, $"{shape.Declaration} on {Path.GetFileName(settings.CsvPath)}");

        console.MarkupLine($"model:     {Markup.Escape(Path.GetFullPath(modelPath))}");
        console.MarkupLine($"onnx:      {Markup.Escape(Path.GetFullPath(onnxPath))} (the same model for ONNX Runtime, scaler and score included)");
        console.MarkupLine($"threshold: {Markup.Escape(Path.GetFullPath(thresholdPath))} ({threshold.ToString("G6", CultureInfo.InvariantCulture)}, {rule})");
        console.MarkupLine($"picture:   {Markup.Escape(Path.GetFullPath(costPath))}");
        return ExitCodes.Success;
    }

    /// <summary>The rows of <paramref name="rows"/> (each <paramref name="columns"/> values) whose index <paramref name="keep"/> accepts, in order.</summary>
    private static float[] Rows(float[] rows, int columns, Func<int, bool> keep)
    {
        var kept = new List<float>(rows.Length);
        for (int r = 0; r < rows.Length / columns; r++)
        {
            if (keep(r))
            {
                kept.AddRange(rows.AsSpan(r * columns, columns));
            }
        }

        return kept.ToArray();
    }

    private static string Describe(LabelledThreshold<float> result) => string.Create(
        CultureInfo.InvariantCulture,
        $"{result.Threshold:G6} flags {result.TruePositives + result.FalsePositives:N0} (precision {result.Precision:P1}, recall {result.Recall:P1})");
}
