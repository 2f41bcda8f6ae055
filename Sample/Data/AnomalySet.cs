using System;
using System.Collections.Generic;

namespace AeGen.Sample.Data;

/// <summary>Clean test digits followed by corrupted copies of some of them, each row tagged with its kind.</summary>
internal sealed class AnomalySet
{
    public const string CleanKind = "clean";

    private AnomalySet(float[] rows, string[] kinds, int corruptedCount)
    {
        Rows = rows;
        Kinds = kinds;
        CorruptedCount = corruptedCount;
    }

    public float[] Rows { get; }

    /// <summary>"clean" or the lower-case name of the corruption.</summary>
    public IReadOnlyList<string> Kinds { get; }

    public int Count => Kinds.Count;

    public int CorruptedCount { get; }

    /// <summary>Every clean row, then <paramref name="perKind"/> randomly chosen rows spoiled in each way.</summary>
    public static AnomalySet Build(float[] cleanRows, int perKind, int seed)
    {
        int n = DigitsData.Pixels;
        int clean = cleanRows.Length / n;
        DigitCorruption[] corruptions = Enum.GetValues<DigitCorruption>();
        int corrupted = corruptions.Length * perKind;
        float[] rows = new float[(clean + corrupted) * n];
        string[] kinds = new string[clean + corrupted];
        cleanRows.CopyTo(rows, 0);
        Array.Fill(kinds, CleanKind, 0, clean);
        var random = new Random(seed);
        int next = clean;
        foreach (DigitCorruption corruption in corruptions)
        {
            for (int i = 0; i < perKind; i++, next++)
            {
                int source = random.Next(clean);
                DigitCorruptions.Apply(corruption, cleanRows.AsSpan(source * n, n), rows.AsSpan(next * n, n), random);
                kinds[next] = corruption.ToString().ToLowerInvariant();
            }
        }

        return new AnomalySet(rows, kinds, corrupted);
    }
}
