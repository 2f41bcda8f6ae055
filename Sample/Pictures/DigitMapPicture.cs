using System.Collections.Generic;
using ScottPlot;

namespace AeGen.Sample.Pictures;

/// <summary>Two-dimensional codes of digits as a scatter plot, one colour per label.</summary>
internal static class DigitMapPicture
{
    /// <param name="codes">Two values per digit, row after row.</param>
    public static void Write(string path, float[] codes, IReadOnlyList<int> labels, string title)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int label = 0; label <= 9; label++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < labels.Count; i++)
            {
                if (labels[i] == label)
                {
                    xs.Add(codes[2 * i]);
                    ys.Add(codes[(2 * i) + 1]);
                }
            }

            var points = plot.Add.ScatterPoints(xs, ys);
            points.Color = palette.GetColor(label);
            points.MarkerSize = 5;
            points.LegendText = label.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        plot.Title(title);
        plot.XLabel("hidden unit 1");
        plot.YLabel("hidden unit 2");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 800, 650);
    }
}
