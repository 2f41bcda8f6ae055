using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AeGen.Tests.Training;

/// <summary>The 1,797 8×8 digits (data/digits.csv, see data/README.md) scaled to [0, 1] by dividing by 16, split as the data's README suggests.</summary>
internal static class DigitsData
{
    public const int TrainRows = 1437;
    public const int TestRows = 360;

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "Data", "digits.csv");

    /// <summary>Pixels only (the 65th column, the label, is dropped); read with a plain split, independent of the CSV loader under test.</summary>
    public static (float[] Train, float[] Test) Load()
    {
        float[] all = File.ReadLines(Path)
            .SelectMany(line => line.Split(',').Take(64).Select(v => float.Parse(v, CultureInfo.InvariantCulture) / 16f))
            .ToArray();
        if (all.Length != (TrainRows + TestRows) * 64)
        {
            throw new InvalidDataException($"digits.csv should hold {TrainRows + TestRows} rows of 64 pixels, but it holds {all.Length} values.");
        }

        return (all[..(TrainRows * 64)], all[(TrainRows * 64)..]);
    }
}
