using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using AeGen.Sample.Data;
using AeGen.Sample.Models;
using AeGen.Sample.Pictures;
using AeGen.Detector;
using Spectre.Console;

namespace AeGen.Sample.Commands;

/// <summary>What the default run needs to know: where to write, how long to train, and which data file to read.</summary>
internal sealed record DigitsDemoSettings(string OutputFolder, int Epochs, string DataPath);

/// <summary>The numbers a default run measured, returned so that tests can check them.</summary>
internal sealed record DigitsDemoResult(
    double TestErrorPerPixel,
    double BaselineErrorPerPixel,
    double Threshold,
    double Precision,
    double Recall,
    IReadOnlyList<string> Files,
    TimeSpan Elapsed);

/// <summary>
/// The default run: train a 64×16 autoencoder on the digits, compare it with the per-pixel mean, catch corrupted
/// digits by their reconstruction error, save the model, and draw what happened.
/// </summary>
internal static class DigitsDemo
{
    private const int BatchSize = 64;
    private const double LearningRate = 0.01;
    private const double ThresholdQuantile = 0.99;
    private const int CorruptedPerKind = 40;
    private const int GridColumns = 12;

    public static DigitsDemoResult Run(IAnsiConsole console, DigitsDemoSettings settings)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(settings.OutputFolder);
        var files = new List<string>();
        DigitsData digits = DigitsData.Load(settings.DataPath);
        console.MarkupLine($"[bold]AeGen sample:[/] handwritten digits from {Markup.Escape(settings.DataPath)}");
        console.MarkupLine($"  {digits.TrainingLabels.Length:N0} digits for training, {digits.TestRowCount:N0} for testing, 8×8 pixels scaled to [[0, 1]]");
        console.MarkupLine($"  model: [bold][[Autoencoder(64, 16)]][/] {DigitsAutoencoder.ParameterCount:N0} parameters; Adam, learning rate {LearningRate}, batch {BatchSize}, {settings.Epochs} epochs");

        var model = new DigitsAutoencoder();
        TrainingOptions options = new()
        {
            Epochs = settings.Epochs,
            BatchSize = BatchSize,
            Optimizer = new Adam(learningRate: LearningRate),
            Seed = 0,
            ValidationRows = digits.TestRows,
        };
        TrainingReport report = LiveTraining.Fit(console, model, digits.TrainingRows, options, "64×16");

        // The cost is S = 1/(2m)·Σ(X − X̂)², so the mean squared error per pixel is 2S/n.
        double testError = 2.0 * model.Cost(digits.TestRows) / DigitsAutoencoder.Inputs;
        double baselineError = MeanPredictorError(digits.TrainingRows, digits.TestRows);
        console.WriteLine();
        var errors = new Table().AddColumns("test digits", "mean squared error per pixel");
        errors.AddRow("autoencoder reconstruction", testError.ToString("F4", CultureInfo.InvariantCulture));
        errors.AddRow("baseline: each pixel's training mean", baselineError.ToString("F4", CultureInfo.InvariantCulture));
        console.Write(errors);
        console.MarkupLine($"  {Markup.Escape(report.Message)}");

        AnomalySet anomalies = AnomalySet.Build(digits.TestRows, CorruptedPerKind, seed: 0);
        float threshold = model.AnomalyThresholdFromQuantile(digits.TrainingRows, ThresholdQuantile);
        float[] scores = model.Score(anomalies.Rows);
        (double precision, double recall) = WriteAnomalyReport(console, anomalies, scores, threshold);

        string modelPath = Path.Combine(settings.OutputFolder, "digits-64x16.safetensors");
        model.Save(modelPath);
        files.Add(modelPath);

        string costPath = Path.Combine(settings.OutputFolder, "cost.png");
        CostCurvePicture.Write(costPath, report.Epochs, "[Autoencoder(64, 16)] on the digits: cost per epoch");
        files.Add(costPath);

        string reconstructionsPath = Path.Combine(settings.OutputFolder, "reconstructions.png");
        WriteReconstructions(reconstructionsPath, model, digits.TestRows);
        files.Add(reconstructionsPath);

        string anomaliesPath = Path.Combine(settings.OutputFolder, "most-anomalous.png");
        WriteMostAnomalous(anomaliesPath, anomalies, scores, threshold);
        files.Add(anomaliesPath);

        var mapModel = new DigitsMapAutoencoder();
        LiveTraining.Fit(console, mapModel, digits.TrainingRows, options, "64×2 ");
        float[] allRows = [.. digits.TrainingRows, .. digits.TestRows];
        int[] allLabels = [.. digits.TrainingLabels, .. digits.TestLabels];
        float[] codes = new float[allLabels.Length * DigitsMapAutoencoder.Hidden];
        mapModel.Encode(allRows, codes);
        string mapPath = Path.Combine(settings.OutputFolder, "digit-map.png");
        DigitMapPicture.Write(mapPath, codes, allLabels, $"[Autoencoder(64, 2)]: the hidden code of all {allLabels.Length:N0} digits, coloured by label");
        files.Add(mapPath);
        console.MarkupLine($"  the 64×2 model, whose code is only two numbers, reaches a test error per pixel of {2.0 * mapModel.Cost(digits.TestRows) / DigitsMapAutoencoder.Inputs:F4}");

        console.WriteLine();
        console.MarkupLine("[bold]Files written[/]");
        foreach (string file in files)
        {
            console.MarkupLine($"  {Markup.Escape(Path.GetFullPath(file))}");
        }

        console.MarkupLine($"Done in {clock.Elapsed.TotalSeconds:F1} s. Next: [bold]train[/] and [bold]score[/] for your own CSV files (--help).");
        return new DigitsDemoResult(testError, baselineError, threshold, precision, recall, files, clock.Elapsed);
    }

    private static double MeanPredictorError(float[] trainingRows, float[] testRows)
    {
        int n = DigitsData.Pixels;
        double[] mean = new double[n];
        for (int i = 0; i < trainingRows.Length; i++)
        {
            mean[i % n] += trainingRows[i];
        }

        for (int j = 0; j < n; j++)
        {
            mean[j] /= trainingRows.Length / n;
        }

        double sum = 0;
        for (int i = 0; i < testRows.Length; i++)
        {
            double difference = testRows[i] - mean[i % n];
            sum += difference * difference;
        }

        return sum / testRows.Length;
    }

    private static (double Precision, double Recall) WriteAnomalyReport(IAnsiConsole console, AnomalySet anomalies, float[] scores, float threshold)
    {
        console.WriteLine();
        console.MarkupLine($"[bold]Anomaly detection[/]: {anomalies.Count - anomalies.CorruptedCount} test digits and {anomalies.CorruptedCount} corrupted ones ({CorruptedPerKind} each: noise, shifted, inverted, blank)");
        console.MarkupLine($"  threshold {threshold:F4} = the {ThresholdQuantile:P0} quantile of the training digits' reconstruction errors");
        var table = new Table().AddColumns("inputs", "count", "flagged as anomalous");
        int truePositives = 0, flagged = 0;
        foreach (string kind in anomalies.Kinds.Distinct())
        {
            int count = 0, caught = 0;
            for (int i = 0; i < anomalies.Count; i++)
            {
                if (anomalies.Kinds[i] == kind)
                {
                    count++;
                    caught += scores[i] > threshold ? 1 : 0;
                }
            }

            table.AddRow(kind, count.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"{caught} ({(double)caught / count:P0})"));
            flagged += caught;
            truePositives += kind == AnomalySet.CleanKind ? 0 : caught;
        }

        console.Write(table);
        double precision = flagged == 0 ? 0 : (double)truePositives / flagged;
        double recall = (double)truePositives / anomalies.CorruptedCount;
        console.MarkupLine($"  precision {precision:P1} (flagged inputs that are corrupted), recall {recall:P1} (corrupted inputs flagged)");
        return (precision, recall);
    }

    private static void WriteReconstructions(string path, DigitsAutoencoder model, float[] testRows)
    {
        const int Groups = 2;
        int count = GridColumns * Groups;
        float[] inputs = testRows[..(count * DigitsData.Pixels)];
        float[] outputs = new float[inputs.Length];
        model.Forward(inputs, outputs);
        var rows = new List<IReadOnlyList<float[]>>();
        for (int group = 0; group < Groups; group++)
        {
            rows.Add(Images(inputs, group * GridColumns, GridColumns));
            rows.Add(Images(outputs, group * GridColumns, GridColumns));
        }

        DigitGridPicture.Write(path, rows, "Test digits (rows 1 and 3) and their reconstructions from 16 numbers (rows 2 and 4)");
    }

    /// <summary>For each kind of input, the ones the model reconstructs worst, so that every kind shows what gets caught.</summary>
    private static void WriteMostAnomalous(string path, AnomalySet anomalies, float[] scores, float threshold)
    {
        const int PerKind = 8;
        var rows = new List<IReadOnlyList<float[]>>();
        var captions = new List<IReadOnlyList<string>>();
        foreach (string kind in anomalies.Kinds.Distinct())
        {
            int[] chosen = Enumerable.Range(0, anomalies.Count).Where(i => anomalies.Kinds[i] == kind).OrderByDescending(i => scores[i]).Take(PerKind).ToArray();
            rows.Add(chosen.Select(i => anomalies.Rows.AsSpan(i * DigitsData.Pixels, DigitsData.Pixels).ToArray()).ToList());
            captions.Add(chosen.Select(i => string.Create(CultureInfo.InvariantCulture, $"{kind} {scores[i]:F3}{(scores[i] > threshold ? " !" : "")}")).ToList());
        }

        string title = string.Create(CultureInfo.InvariantCulture, $"Highest reconstruction errors of each kind (! = above the threshold {threshold:F3})");
        DigitGridPicture.Write(path, rows, title, captions);
    }

    private static List<float[]> Images(float[] rows, int first, int count) =>
        Enumerable.Range(first, count).Select(i => rows.AsSpan(i * DigitsData.Pixels, DigitsData.Pixels).ToArray()).ToList();
}
