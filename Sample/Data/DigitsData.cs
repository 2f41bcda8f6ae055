using System;
using System.IO;
using System.Linq;

namespace AeGen.Sample.Data;

/// <summary>
/// The handwritten digits shipped beside the executable (data/digits.csv): 64 pixels 0..16 and a label per row,
/// scaled to [0, 1], first 1,437 rows for training and the last 360 for testing.
/// </summary>
internal sealed class DigitsData
{
    public const int Pixels = 64;
    public const int TrainingRowCount = 1437;
    private const float MaximumPixel = 16f;

    private DigitsData(float[] trainingRows, float[] testRows, int[] trainingLabels, int[] testLabels)
    {
        TrainingRows = trainingRows;
        TestRows = testRows;
        TrainingLabels = trainingLabels;
        TestLabels = testLabels;
    }

    /// <summary>Where the build copies the file: next to the program, so the current directory does not matter.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv");

    public float[] TrainingRows { get; }

    public float[] TestRows { get; }

    public int[] TrainingLabels { get; }

    public int[] TestLabels { get; }

    public int TestRowCount => TestLabels.Length;

    public static DigitsData Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The digits data set was expected at {path} (the build copies it there from data/digits.csv).", path);
        }

        (float[] pixels, int columns) = CsvRows.ReadAll<float>(path, new CsvOptions { Columns = Enumerable.Range(0, Pixels).ToArray() });
        (float[] labels, _) = CsvRows.ReadAll<float>(path, new CsvOptions { Columns = [Pixels] });
        int rows = labels.Length;
        if (columns != Pixels || rows <= TrainingRowCount)
        {
            throw new InvalidDataException($"{path} should hold more than {TrainingRowCount} rows of {Pixels} pixels and a label; it holds {rows} rows of {columns} pixels.");
        }

        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] /= MaximumPixel;
        }

        int[] allLabels = labels.Select(label => (int)label).ToArray();
        int split = TrainingRowCount * Pixels;
        return new DigitsData(pixels[..split], pixels[split..], allLabels[..TrainingRowCount], allLabels[TrainingRowCount..]);
    }
}
