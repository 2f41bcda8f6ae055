using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace AeGen.Benchmarks;

/// <summary>
/// Data larger than memory: one epoch of the streaming Fit of the 64×16 model at batch 256 over a CSV file of
/// <see cref="Rows"/> rows of 64 values, read in blocks (the file is parsed again each epoch, on a thread of its own),
/// and ScoreCsv over the same file. The file is written once, in the setup, beside the system's temporary files; a
/// three-million-row file's rows alone would be 768 MB as floats. Each process prints its peak working set when it
/// ends, which is the figure the memory bound is about (BenchmarkDotNet's allocation column counts bytes allocated,
/// not bytes held).
/// </summary>
[MemoryDiagnoser]
public class StreamingBenchmarks
{
    private const int Columns = 64;

    private string _path = "";
    private Digits64x16 _model = null!;

    /// <summary>Rows in the file: 3,000,000, or what <c>AEGEN_STREAM_ROWS</c> says (CI's smoke run takes a small file).</summary>
    [ParamsSource(nameof(RowCounts))]
    public int Rows { get; set; }

    public static int[] RowCounts =>
        [int.TryParse(Environment.GetEnvironmentVariable("AEGEN_STREAM_ROWS"), out int rows) && rows > 0 ? rows : 3_000_000];

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"aegen-stream-{Rows}x{Columns}.csv");
        if (!File.Exists(_path) || new FileInfo(_path).Length == 0)
        {
            Write(_path, Rows);
        }

        _model = new Digits64x16();
        // The scaler a first epoch would have fitted; scaling is part of every row's way in, as it is for a user.
        _model.Scaler = new FeatureScaler(ScalerKind.MinMax, new double[Columns], Enumerable.Repeat(16.0, Columns).ToArray());
    }

    [Benchmark]
    public TrainingReport FitOneEpoch() => _model.Fit(CsvRows.ReadBlocks<float>(_path, null, rowsPerBlock: 4096), new TrainingOptions
    {
        Epochs = 1,
        BatchSize = 256,
        Optimizer = new Adam(learningRate: 0.001),
    });

    [Benchmark]
    public float ScoreCsv()
    {
        float last = 0;
        foreach (float score in _model.ScoreCsv(_path))
        {
            last = score;
        }

        return last;
    }

    [GlobalCleanup]
    public void Cleanup() =>
        Console.WriteLine($"// peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB");

    /// <summary>Rows of values in [0, 16) with three decimals, as sensor readings come; written to a temporary name, then moved.</summary>
    private static void Write(string path, int rows)
    {
        string partial = path + ".partial";
        var random = new SplitMix64(17);
        using (var writer = new StreamWriter(partial, append: false, new UTF8Encoding(false), bufferSize: 1 << 20))
        {
            var line = new StringBuilder(Columns * 8);
            for (int r = 0; r < rows; r++)
            {
                line.Clear();
                for (int c = 0; c < Columns; c++)
                {
                    if (c > 0)
                    {
                        line.Append(',');
                    }

                    line.Append((random.NextDouble() * 16).ToString("F3", CultureInfo.InvariantCulture));
                }

                writer.WriteLine(line);
            }
        }

        File.Move(partial, path, overwrite: true);
    }
}
