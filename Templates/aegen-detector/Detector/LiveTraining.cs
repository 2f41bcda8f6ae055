using System;
using System.Globalization;
using Spectre.Console;

namespace AeGen.Detector;

/// <summary>Runs <c>Fit</c> under a Spectre.Console progress bar showing the epoch, training and validation cost.</summary>
internal static class LiveTraining
{
    public static TrainingReport Fit<T>(IAnsiConsole console, IAutoencoder<T> model, ReadOnlyMemory<T> rows, TrainingOptions options, string name)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        TrainingReport? report = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(name), maxValue: options.Epochs);
                var progress = new SynchronousProgress<EpochReport>(epoch =>
                {
                    task.Value = epoch.Epoch;
                    task.Description = Markup.Escape(Describe(name, epoch, options.Epochs));
                    context.Refresh();
                });
                report = model.Fit(rows.Span, options with { Progress = progress });
                task.Value = task.MaxValue;
            });
        // A console that is not a terminal shows only snapshots of the bar, so the last epoch is stated in words.
        EpochReport last = report!.Epochs[^1];
        console.MarkupLine(Markup.Escape(Describe(name, last, options.Epochs)) + string.Create(CultureInfo.InvariantCulture, $"  ({report.Elapsed.TotalSeconds:F1} s)"));
        return report;
    }

    private static string Describe(string name, EpochReport epoch, int epochs)
    {
        string validation = epoch.ValidationCost is double cost ? cost.ToString("F5", CultureInfo.InvariantCulture) : "-";
        return string.Create(CultureInfo.InvariantCulture, $"{name}  epoch {epoch.Epoch,3}/{epochs}  training {epoch.TrainingCost:F5}  validation {validation}");
    }
}
