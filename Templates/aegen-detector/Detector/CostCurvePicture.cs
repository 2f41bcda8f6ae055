using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace AeGen.Detector;

/// <summary>Training and validation cost per epoch, as a PNG line chart.</summary>
internal static class CostCurvePicture
{
    public static void Write(string path, IReadOnlyList<EpochReport> epochs, string title)
    {
        double[] epochNumbers = epochs.Select(epoch => (double)epoch.Epoch).ToArray();
        var plot = new Plot();
        var training = plot.Add.Scatter(epochNumbers, epochs.Select(epoch => epoch.TrainingCost).ToArray());
        training.LegendText = "training";
        if (epochs.All(epoch => epoch.ValidationCost.HasValue))
        {
            var validation = plot.Add.Scatter(epochNumbers, epochs.Select(epoch => epoch.ValidationCost!.Value).ToArray());
            validation.LegendText = "validation";
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("cost S (half the squared error per row)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 800, 500);
    }
}
