using System;
using System.Collections.Generic;
using ScottPlot;

namespace AeGen.Sample.Pictures;

/// <summary>
/// Rows of 8×8 digit images (pixels in [0, 1], dark ink on a light ground), separated by one-pixel gaps, with an
/// optional caption under each image.
/// </summary>
internal static class DigitGridPicture
{
    private const int Side = 8;
    private const int Cell = Side + 1;

    /// <param name="rows">Each grid row: a list of images of 64 pixels.</param>
    /// <param name="captions">Optional captions, in the same arrangement as <paramref name="rows"/>.</param>
    public static void Write(string path, IReadOnlyList<IReadOnlyList<float[]>> rows, string title, IReadOnlyList<IReadOnlyList<string>>? captions = null)
    {
        int columns = 0;
        foreach (IReadOnlyList<float[]> row in rows)
        {
            columns = Math.Max(columns, row.Count);
        }

        int captionHeight = captions is null ? 0 : 2;
        int rowHeight = Cell + captionHeight;
        // Frameless axes leave no room for ScottPlot's title, so the title sits in blank cells above the images.
        const int TitleHeight = 3;
        double[,] cells = new double[TitleHeight + (rows.Count * rowHeight) + 1, (columns * Cell) + 1];
        for (int y = 0; y < cells.GetLength(0); y++)
        {
            for (int x = 0; x < cells.GetLength(1); x++)
            {
                cells[y, x] = double.NaN;
            }
        }

        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < rows[r].Count; c++)
            {
                float[] image = rows[r][c];
                for (int pixel = 0; pixel < Side * Side; pixel++)
                {
                    cells[TitleHeight + (r * rowHeight) + 1 + (pixel / Side), (c * Cell) + 1 + (pixel % Side)] = Math.Clamp(image[pixel], 0f, 1f);
                }
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // A tinted ground, so that a blank (all-white) image still shows as a square.
        heatmap.NaNCellColor = new Color(214, 222, 235);
        int height = cells.GetLength(0);
        if (captions is not null)
        {
            for (int r = 0; r < captions.Count; r++)
            {
                for (int c = 0; c < captions[r].Count; c++)
                {
                    // Heatmap cell (y, x) covers x..x+1 horizontally and counts rows from the top.
                    var text = plot.Add.Text(captions[r][c], (c * Cell) + 1 + (Side / 2.0), height - (TitleHeight + (r * rowHeight) + Cell + 1.2));
                    text.LabelAlignment = Alignment.UpperCenter;
                    text.LabelFontSize = 10;
                }
            }
        }

        var heading = plot.Add.Text(title, cells.GetLength(1) / 2.0, cells.GetLength(0) - 0.8);
        heading.LabelAlignment = Alignment.UpperCenter;
        heading.LabelFontSize = 15;
        heading.LabelBold = true;
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Axes.SetLimits(0, cells.GetLength(1), 0, cells.GetLength(0));
        int pixelsPerCell = 10;
        plot.SavePng(path, Math.Max(700, cells.GetLength(1) * pixelsPerCell), cells.GetLength(0) * pixelsPerCell);
    }
}
