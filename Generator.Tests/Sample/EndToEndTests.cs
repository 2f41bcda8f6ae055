using System;
using System.Globalization;
using System.IO;
using System.Linq;
using AeGen.Detector;
using AeGen.Sample.Commands;
using AeGen.Sample.Data;
using AeGen.Sample.Models;
using Xunit;

namespace AeGen.Tests.Sample;

/// <summary>The sample's commands run in-process against real files, as a user would run them.</summary>
public sealed class EndToEndTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string folder = Directory.CreateTempSubdirectory("aegen-sample-run-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_default_run_beats_the_mean_catches_corruptions_and_writes_every_file()
    {
        var console = new RecordingConsole();

        DigitsDemoResult result = DigitsDemo.Run(console.Console, new DigitsDemoSettings(folder, 50, DigitsData.DefaultPath));

        // Documented: 0.0131 against 0.0737 for the per-pixel training mean (data/README.md).
        Assert.InRange(result.TestErrorPerPixel, 0.005, 0.02);
        Assert.InRange(result.BaselineErrorPerPixel, 0.073, 0.0745);
        Assert.True(result.Recall >= 0.9, $"recall {result.Recall}");
        Assert.True(result.Precision >= 0.8, $"precision {result.Precision}");
        string[] expected = ["digits-64x16.safetensors", "cost.png", "reconstructions.png", "most-anomalous.png", "digit-map.png"];
        Assert.Equal(expected, result.Files.Select(Path.GetFileName).ToArray());
        foreach (string file in result.Files)
        {
            Assert.Contains(Path.GetFullPath(file), console.Text);
        }

        foreach (string picture in result.Files.Where(file => file.EndsWith(".png", StringComparison.Ordinal)))
        {
            byte[] bytes = File.ReadAllBytes(picture);
            Assert.True(bytes.Length > 5_000, $"{picture} holds only {bytes.Length} bytes");
            Assert.Equal(PngSignature, bytes[..8]);
        }

        var loaded = new DigitsAutoencoder();
        loaded.Load(result.Files[0]);
        DigitsData digits = DigitsData.Load(DigitsData.DefaultPath);
        Assert.Equal(result.TestErrorPerPixel, 2.0 * loaded.Cost(digits.TestRows) / DigitsAutoencoder.Inputs, 6);
    }

    [Fact]
    public void Train_then_score_flags_rows_unlike_the_training_rows()
    {
        // 1,000 digits as raw pixel counts 0..16 with a header; then 10 inverted ones (16 − p) to score beside 10 clean ones.
        string[] lines = File.ReadLines(DigitsData.DefaultPath).ToArray();
        string header = string.Join(',', Enumerable.Range(0, 64).Select(i => $"p{i}")) + ",label";
        string trainCsv = Path.Combine(folder, "train.csv");
        File.WriteAllLines(trainCsv, [header, .. lines.Take(1000)]);
        string scoreCsv = Path.Combine(folder, "incoming.csv");
        string Invert(string line) => string.Join(',', line.Split(',').Take(64).Select(v => (16 - int.Parse(v, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture))) + ",0";
        File.WriteAllLines(scoreCsv, [header, .. lines.Skip(1400).Take(10), .. lines.Skip(1400).Take(10).Select(Invert)]);
        string output = Path.Combine(folder, "run");
        var console = new RecordingConsole();
        var commandLine = new SampleCommandLine(console.Console);

        int trained = commandLine.Parse("train", trainCsv, "--header", "--columns", "0-63", "--epochs", "50", "-o", output).Invoke();
        Assert.Equal(ExitCodes.Success, trained);
        Assert.True(File.Exists(Path.Combine(output, TrainCommand.ModelFileName)), console.Text);
        Assert.True(File.Exists(Path.Combine(output, TrainCommand.ThresholdFileName)), console.Text);
        Assert.True(new FileInfo(Path.Combine(output, TrainCommand.OnnxFileName)).Length > 4 * 64 * 64, console.Text);
        Assert.True(File.Exists(Path.Combine(output, "cost.png")), console.Text);

        string scores = Path.Combine(output, "scores.csv");
        int scored = commandLine.Parse("score", Path.Combine(output, TrainCommand.ModelFileName), scoreCsv, "--header", "--columns", "0-63", "-o", scores).Invoke();

        Assert.Equal(ExitCodes.Success, scored);
        string[] rows = File.ReadAllLines(scores);
        Assert.Equal("row,score,anomalous", rows[0]);
        Assert.Equal(21, rows.Length);
        int[] flags = rows.Skip(1).Select(row => int.Parse(row.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(flags[10..], flag => Assert.Equal(1, flag));
        Assert.True(flags[..10].Sum() <= 3, $"{flags[..10].Sum()} of 10 clean digits flagged:\n{console.Text}");
        Assert.Contains("20 rows scored", console.Text);
    }

    /// <summary>The first <paramref name="rows"/> digits as Parquet: pixels alternately int and nullable double, then the label as long and a text column.</summary>
    private string WriteDigitsParquet(string name, int rows)
    {
        int[][] digits = File.ReadLines(DigitsData.DefaultPath).Take(rows)
            .Select(line => line.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var fields = new System.Collections.Generic.List<global::Parquet.Schema.DataField>();
        for (int c = 0; c < 64; c++)
        {
            fields.Add(c % 2 == 0 ? new global::Parquet.Schema.DataField<int>($"p{c}") : new global::Parquet.Schema.DataField<double?>($"p{c}"));
        }

        fields.Add(new global::Parquet.Schema.DataField<long>("label"));
        fields.Add(new global::Parquet.Schema.DataField<string>("source"));
        var schema = new global::Parquet.Schema.ParquetSchema(fields);
        string path = Path.Combine(folder, name);
        using (FileStream file = File.Create(path))
        {
            global::Parquet.ParquetWriter writer = global::Parquet.ParquetWriter.CreateAsync(schema, file).GetAwaiter().GetResult();
            using (global::Parquet.ParquetRowGroupWriter group = writer.CreateRowGroup())
            {
                for (int c = 0; c < 64; c++)
                {
                    int column = c;
                    if (c % 2 == 0)
                    {
                        group.WriteAsync<int>(fields[c], digits.Select(d => d[column]).ToArray()).GetAwaiter().GetResult();
                    }
                    else
                    {
                        group.WriteAsync<double>(fields[c], digits.Select(d => (double?)d[column]).ToArray()).GetAwaiter().GetResult();
                    }
                }

                group.WriteAsync<long>(fields[64], digits.Select(d => (long)d[64]).ToArray()).GetAwaiter().GetResult();
                group.WriteAsync(fields[65], digits.Select(d => $"digit {d[64]}").ToArray()).GetAwaiter().GetResult();
            }

            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return path;
    }

    /// <summary>The <c>anomalous</c> column of a scores file, read by Parquet.Net itself.</summary>
    private static bool[] ReadFlags(string path)
    {
        using FileStream file = File.OpenRead(path);
        global::Parquet.ParquetReader reader = global::Parquet.ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        try
        {
            using global::Parquet.ParquetRowGroupReader group = reader.OpenRowGroupReader(0);
            var flags = new bool[group.RowCount];
            group.ReadAsync<bool>(reader.Schema.DataFields[1], flags).GetAwaiter().GetResult();
            return flags;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Fact]
    public void Parquet_files_train_the_model_the_csv_trains_and_scores_go_to_parquet_as_to_csv()
    {
        string csv = Path.Combine(folder, "digits.csv");
        File.WriteAllLines(csv, File.ReadLines(DigitsData.DefaultPath).Take(600));
        string parquet = WriteDigitsParquet("digits.parquet", 600);
        var console = new RecordingConsole();
        var commandLine = new SampleCommandLine(console.Console);
        string fromCsv = Path.Combine(folder, "from-csv"), fromParquet = Path.Combine(folder, "from-parquet");

        Assert.Equal(ExitCodes.Success, commandLine.Parse("train", csv, "--columns", "0-63", "--epochs", "5", "-o", fromCsv).Invoke());
        Assert.Equal(ExitCodes.Success, commandLine.Parse("train", parquet, "--columns", "0-63", "--epochs", "5", "-o", fromParquet).Invoke());
        string model = Path.Combine(fromParquet, TrainCommand.ModelFileName);
        Assert.Equal(File.ReadAllBytes(Path.Combine(fromCsv, TrainCommand.ModelFileName)), File.ReadAllBytes(model));

        string csvScores = Path.Combine(fromCsv, "scores.csv"), parquetScores = Path.Combine(fromParquet, "scores.parquet");
        Assert.Equal(ExitCodes.Success, commandLine.Parse("score", model, csv, "--columns", "0-63", "-o", csvScores).Invoke());
        Assert.Equal(ExitCodes.Success, commandLine.Parse("score", model, parquet, "--columns", "0-63", "-o", parquetScores).Invoke());
        string[][] expected = File.ReadLines(csvScores).Skip(1).Select(line => line.Split(',')).ToArray();
        float[] scores = AeGen.Parquet.ParquetRows.Read<float>(parquetScores, ["score"]).Values.ToArray();
        Assert.Equal(expected.Select(row => float.Parse(row[1], CultureInfo.InvariantCulture)), scores);
        Assert.Equal(["score", "anomalous"], AeGen.Parquet.ParquetRows.ColumnNames(parquetScores));
        bool[] flags = ReadFlags(parquetScores);
        Assert.Equal(expected.Select(row => row[2] == "1"), flags);
        Assert.Contains(flags, flag => flag);

        // Every column of the file, the text one too, is not what the model takes: the error names the numeric columns.
        int refused = commandLine.Parse("train", parquet, "-o", Path.Combine(folder, "all-columns")).Invoke();
        Assert.Equal(ExitCodes.BadInput, refused);
        Assert.Contains("column 'source' holds text values, not numbers", console.Text.Replace("\n", " "));
        int past = commandLine.Parse("score", model, parquet, "--columns", "0-63,70", "-o", parquetScores).Invoke();
        Assert.Equal(ExitCodes.BadInput, past);
        Assert.Contains("--columns names column 70", console.Text.Replace("\n", " "));
    }

    [Fact]
    public void A_contamination_sets_the_threshold_that_flags_that_share_of_the_training_rows()
    {
        // 500 digits, scaled to 0..1 by the command; the first 400 train (the last fifth validates).
        string[] lines = File.ReadLines(DigitsData.DefaultPath).Take(500).ToArray();
        string trainCsv = Path.Combine(folder, "train.csv");
        File.WriteAllLines(trainCsv, lines);
        string output = Path.Combine(folder, "run");
        var console = new RecordingConsole();
        var commandLine = new SampleCommandLine(console.Console);

        int trained = commandLine.Parse("train", trainCsv, "--columns", "0-63", "--epochs", "5", "--contamination", "0.05", "-o", output).Invoke();
        Assert.Equal(ExitCodes.Success, trained);
        Assert.Contains("flags the 5% of training rows that reconstruct worst", console.Text);

        string scores = Path.Combine(output, "scores.csv");
        int scored = commandLine.Parse("score", Path.Combine(output, TrainCommand.ModelFileName), trainCsv, "--columns", "0-63", "-o", scores).Invoke();
        Assert.Equal(ExitCodes.Success, scored);
        int flagged = File.ReadLines(scores).Skip(1).Take(400).Count(row => row.EndsWith(",1", StringComparison.Ordinal));
        Assert.InRange(flagged, 19, 21); // 5% of the 400 training rows, give or take the row the interpolation lands beside
    }

    [Fact]
    public void Explain_names_the_pixels_that_were_corrupted_in_the_rows_that_score_highest()
    {
        // Digits with a header p0..p63; in the file to explain, rows 2 and 5 have pixels p0 and p32 (the left edge, dark
        // in nearly every digit) lit. The header is detected, and the names come from it.
        string[] lines = File.ReadLines(DigitsData.DefaultPath).ToArray();
        string header = string.Join(',', Enumerable.Range(0, 64).Select(i => $"p{i}")) + ",label";
        string trainCsv = Path.Combine(folder, "train.csv");
        File.WriteAllLines(trainCsv, [header, .. lines.Take(1000)]);
        string[] incoming = lines.Skip(1400).Take(8).ToArray();
        foreach (int r in new[] { 2, 5 })
        {
            string[] values = incoming[r].Split(',');
            foreach (int pixel in new[] { 0, 32 })
            {
                values[pixel] = "16";
            }

            incoming[r] = string.Join(',', values);
        }

        string explainCsv = Path.Combine(folder, "incoming.csv");
        File.WriteAllLines(explainCsv, [header, .. incoming]);
        string output = Path.Combine(folder, "run");
        var console = new RecordingConsole();
        var commandLine = new SampleCommandLine(console.Console);
        Assert.Equal(ExitCodes.Success, commandLine.Parse("train", trainCsv, "--columns", "0-63", "--epochs", "30", "-o", output).Invoke());

        console = new RecordingConsole();
        commandLine = new SampleCommandLine(console.Console);
        int explained = commandLine.Parse("explain", Path.Combine(output, TrainCommand.ModelFileName), explainCsv, "--columns", "0-63", "--rows", "2,5,0", "--top", "2").Invoke();
        Assert.Equal(ExitCodes.Success, explained);
        string[] table = console.Text.Split('\n');
        Assert.DoesNotContain("p32 ", Assert.Single(table, l => l.Contains("│ 0 ", StringComparison.Ordinal)), StringComparison.Ordinal);
        foreach (string row in new[] { "2", "5" })
        {
            string line = Assert.Single(table, l => l.Contains($"│ {row} ", StringComparison.Ordinal));
            Assert.Contains("p0 ", line, StringComparison.Ordinal);
            Assert.Contains("p32 ", line, StringComparison.Ordinal);
            Assert.Contains("yes", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Hidden_compares_sizes_on_the_file_and_names_the_declaration_to_write()
    {
        // 12 columns driven by two factors: the suggestion is k = 2, for a 12-column declaration, where the sample
        // declares 64×16.
        var random = new Random(3);
        string csv = Path.Combine(folder, "two-factors.csv");
        File.WriteAllLines(csv, Enumerable.Range(0, 2500).Select(_ =>
        {
            double a = random.NextDouble(), b = random.NextDouble();
            return string.Join(',', Enumerable.Range(0, 12).Select(j =>
                (1 / (1 + Math.Exp(-(((j % 5) - 2) * a) - ((((j * 7) % 3) - 1) * 2 * b)))).ToString("F5", CultureInfo.InvariantCulture)));
        }));
        var console = new RecordingConsole();

        int exitCode = new SampleCommandLine(console.Console).Parse("hidden", csv, "--epochs", "40").Invoke();

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("training 6 sizes of [Autoencoder(12, k)] on 2,000 rows, compared on the last 500", console.Text);
        Assert.Contains("To use it, declare [Autoencoder(12, 2)] in Sample/Models/DigitsAutoencoder.cs (now [Autoencoder(64, 16)]) and rebuild.", console.Text);
    }

    [Fact]
    public void Labels_leave_the_anomalies_out_of_training_and_choose_the_threshold_and_bad_lines_stop_skip_or_flag()
    {
        // 1,000 digits of which every 25th is inverted (40 anomalies), labelled in a second file.
        string[] lines = File.ReadLines(DigitsData.DefaultPath).Take(1000).ToArray();
        string Invert(string line) => string.Join(',', line.Split(',').Take(64).Select(v => (16 - int.Parse(v, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture))) + ",0";
        string trainCsv = Path.Combine(folder, "mixed.csv"), labelsCsv = Path.Combine(folder, "labels.csv");
        File.WriteAllLines(trainCsv, lines.Select((line, r) => r % 25 == 3 ? Invert(line) : line));
        File.WriteAllLines(labelsCsv, ["row,anomalous", .. Enumerable.Range(0, 1000).Select(r => $"{r},{(r % 25 == 3 ? 1 : 0)}")]);
        string output = Path.Combine(folder, "run");
        var console = new RecordingConsole();
        var commandLine = new SampleCommandLine(console.Console);

        Assert.Equal(ExitCodes.Success, commandLine.Parse("train", trainCsv, "--columns", "0-63", "--epochs", "30", "--labels", labelsCsv, "-o", output).Invoke());
        Assert.Contains("(leaving out the 40 labelled anomalous)", console.Text);
        Assert.Contains("on the 1,000 labelled rows:", console.Text);
        Assert.Contains("the best F1 on the labelled rows: precision 100.0 %, recall 100.0 %", console.Text);

        // Wrong labels are refused with what was found.
        console = new RecordingConsole();
        File.WriteAllLines(labelsCsv, ["1", "0"]);
        Assert.Equal(ExitCodes.BadInput, new SampleCommandLine(console.Console).Parse("train", trainCsv, "--columns", "0-63", "--labels", labelsCsv, "-o", output).Invoke());
        Assert.Contains("has 2 labels, but the training CSV has 1000 rows", console.Text);

        // A bad line 4 of 6 while scoring: stop writes the three rows before it, flag scores it +∞, skip leaves it out.
        string incoming = Path.Combine(folder, "incoming.csv");
        File.WriteAllLines(incoming, [.. lines.Skip(100).Take(3), "1,2,x", .. lines.Skip(103).Take(2)]);
        string model = Path.Combine(output, TrainCommand.ModelFileName), scores = Path.Combine(folder, "scores.csv");
        console = new RecordingConsole();
        Assert.Equal(ExitCodes.BadInput, new SampleCommandLine(console.Console).Parse("score", model, incoming, "--columns", "0-63", "-o", scores).Invoke());
        Assert.Contains("line 4", console.Text);
        Assert.Equal(4, File.ReadAllLines(scores).Length);
        Assert.Equal(ExitCodes.Success, new SampleCommandLine(new RecordingConsole().Console).Parse("score", model, incoming, "--columns", "0-63", "--bad-rows", "flag", "-o", scores).Invoke());
        Assert.Equal("3,∞,1", File.ReadAllLines(scores)[4].Replace("Infinity", "∞", StringComparison.Ordinal));
        console = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, new SampleCommandLine(console.Console).Parse("score", model, incoming, "--columns", "0-63", "--bad-rows", "skip", "-o", scores).Invoke());
        Assert.Equal(6, File.ReadAllLines(scores).Length);
        Assert.Contains("1 line could not be read as numbers and was skipped (line 4)", console.Text);
    }
}
