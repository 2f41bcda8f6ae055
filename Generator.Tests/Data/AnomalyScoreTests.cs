using System;
using System.IO;
using System.Linq;
using AeGen.Tests.Checkpoints;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using AeGen.Tests.Training;
using Xunit;

namespace AeGen.Tests.Data;

/// <summary>Per-row reconstruction errors, quantile thresholds and streaming scores.</summary>
public sealed class AnomalyScoreTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 5.0)]
    [InlineData(0.5, 3.0)]
    [InlineData(0.9, 4.6)]
    [InlineData(0.125, 1.5)]
    public void Quantiles_interpolate_between_sorted_scores(double quantile, double expected)
    {
        // Sorted: 1 2 3 4 5; position q·4. 0.9 → 3.6 → 4 + 0.6·1; 0.125 → 0.5 → 1.5.
        double[] scores = [5, 1, 4, 2, 3];
        Assert.Equal(expected, AnomalyThreshold.FromQuantile<double>(scores, quantile), 14);
    }

    [Fact]
    public void Bad_quantile_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AnomalyThreshold.FromQuantile<double>(new double[] { 1 }, 1.5));
        Assert.Throws<ArgumentException>(() => AnomalyThreshold.FromQuantile<double>(ReadOnlySpan<double>.Empty, 0.5));
        var nan = Assert.Throws<ArgumentException>(() => AnomalyThreshold.FromQuantile<double>(new double[] { 1, double.NaN }, 0.5));
        Assert.Contains("score 1 (counting from 0) is NaN", nan.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("unrolled")]
    public void Scores_and_reconstructions_are_the_same_bits_on_any_number_of_threads(string kind)
    {
        // 5,000 rows: two whole blocks of AutoencoderScoring.BlockRows and a partial one.
        IAutoencoder<float> model = kind == "dense" ? new F64x16(seed: 3) : new F8x3(seed: 3);
        TestData.Perturb(model.Parameters, 2, amplitude: 0.3);
        int n = model.Inputs, m = 5_000;
        float[] raw = TestData.Rows<float>(m, n, 9).Select(v => (v * 40) - 7).ToArray();
        model.Scaler = FeatureScaler.Fit(ScalerKind.MinMax, (ReadOnlySpan<float>)raw, n);

        float[] one = new float[m], two = new float[m], all = new float[m];
        model.Score(raw, one, maxDegreeOfParallelism: 1);
        model.Score(raw, two, maxDegreeOfParallelism: 2);
        model.Score(raw, all);
        Assert.Equal(one, two);
        Assert.Equal(one, all);

        float[] xhatOne = new float[raw.Length], xhatTwo = new float[raw.Length];
        model.Reconstruct(raw, xhatOne, maxDegreeOfParallelism: 1);
        model.Reconstruct(raw, xhatTwo, maxDegreeOfParallelism: 2);
        Assert.Equal(xhatOne, xhatTwo);

        // Each row as if it were scored alone: the rows on either side of a block's edge land where they belong.
        foreach (int r in new[] { 0, AutoencoderScoring.BlockRows - 1, AutoencoderScoring.BlockRows, m - 1 })
        {
            ReadOnlySpan<float> row = raw.AsSpan(r * n, n);
            Assert.Equal(model.Score(row)[0], two[r]);
            float[] alone = new float[n];
            model.Reconstruct(row, alone);
            Assert.Equal(alone, xhatTwo.AsSpan(r * n, n).ToArray());
        }
    }

    [Fact]
    public void Blocks_of_rows_score_as_the_rows_do_in_one_call_and_a_block_of_part_rows_is_refused()
    {
        var model = new F8x3(seed: 4);
        TestData.Perturb(model.Parameters, 5, amplitude: 0.3);
        float[] raw = TestData.Rows<float>(700, 8, 12);
        float[] expected = model.Score(raw);
        // Blocks of 1, 100, 0 and 599 rows: the scores buffer grows, and an empty block adds nothing.
        ReadOnlyMemory<float>[] blocks = [raw.AsMemory(0, 8), raw.AsMemory(8, 800), ReadOnlyMemory<float>.Empty, raw.AsMemory(808)];
        Assert.Equal(expected, model.ScoreBlocks(blocks).ToArray());

        var error = Assert.Throws<ArgumentException>(() => model.ScoreBlocks([raw.AsMemory(0, 16), raw.AsMemory(16, 12)]).ToArray());
        Assert.Contains("Block 1 holds 12 values, which is not whole rows of n = 8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void A_thread_count_that_is_neither_positive_nor_minus_one_is_refused(int threads)
    {
        var model = new F8x3();
        float[] rows = new float[16];
        var score = Assert.Throws<ArgumentOutOfRangeException>(() => model.Score(rows, new float[2], threads));
        Assert.Equal("maxDegreeOfParallelism", score.ParamName);
        Assert.Contains("positive or −1", score.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Reconstruct(rows, new float[16], threads));
    }

    [Fact]
    public void A_score_is_the_mean_squared_error_of_the_row_in_scaled_units()
    {
        var model = new D8x3(seed: 2);
        TestData.Perturb(model.Parameters, 1);
        double[] raw = TestData.Rows<double>(5, 8, 7).Select(v => (v * 50) + 20).ToArray();
        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.Standard, (ReadOnlySpan<double>)raw, 8);
        model.Scaler = scaler;

        double[] scores = model.Score(raw);

        var scaled = new double[raw.Length];
        scaler.Transform<double>(raw, scaled);
        var xhat = new double[raw.Length];
        model.Forward(scaled, xhat);
        for (int r = 0; r < 5; r++)
        {
            double expected = Enumerable.Range(0, 8).Sum(j => Math.Pow(scaled[(r * 8) + j] - xhat[(r * 8) + j], 2)) / 8;
            Assert.Equal(expected, scores[r], 14);
        }

        // Reconstruct maps back to the caller's units.
        var reconstruction = new double[raw.Length];
        model.Reconstruct(raw, reconstruction);
        var expectedBack = new double[raw.Length];
        scaler.InverseTransform<double>(xhat, expectedBack);
        Assert.Equal(expectedBack, reconstruction);
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("unrolled")]
    public void A_row_holding_a_value_that_is_not_finite_scores_infinity_and_leaves_the_others_alone(string kind)
    {
        IAutoencoder<float> model = kind == "dense" ? new F64x16(seed: 6) : new F8x3(seed: 6);
        TestData.Perturb(model.Parameters, 4, amplitude: 0.3);
        int n = model.Inputs;
        float[] rows = TestData.Rows<float>(6, n, 3);
        float[] clean = model.Score(rows);
        rows[(1 * n) + 2] = float.NaN;
        rows[(3 * n) + n - 1] = float.PositiveInfinity;
        rows[(4 * n) + 0] = float.NegativeInfinity;

        float[] scores = model.Score(rows);
        Assert.Equal([float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity], new[] { scores[1], scores[3], scores[4] });
        Assert.Equal(new[] { clean[0], clean[2], clean[5] }, new[] { scores[0], scores[2], scores[5] });
        // Above any threshold, so flagged, where a NaN score would have compared false.
        float threshold = AnomalyThreshold.FromQuantile<float>(clean, 1.0);
        Assert.Equal([false, true, false, true, true, false], scores.Select(s => s > threshold).ToArray());
    }

    [Fact]
    public void Column_errors_are_each_value_s_squared_error_in_scaled_units_and_average_to_the_score()
    {
        var model = new D8x3(seed: 7);
        TestData.Perturb(model.Parameters, 5);
        double[] raw = TestData.Rows<double>(9, 8, 4).Select(v => (v * 30) - 4).ToArray();
        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.Standard, (ReadOnlySpan<double>)raw, 8);
        model.Scaler = scaler;

        var errors = new double[raw.Length];
        model.ScoreColumns(raw, errors);

        // Independently: scale by the formula, run the network, square the differences.
        var scaled = raw.Select((v, i) => (v - scaler.Shift[i % 8]) / scaler.Divisor[i % 8]).ToArray();
        var xhat = new double[raw.Length];
        model.Forward(scaled, xhat);
        double[] scores = model.Score(raw);
        for (int r = 0; r < 9; r++)
        {
            for (int j = 0; j < 8; j++)
            {
                int i = (r * 8) + j;
                Assert.Equal(Math.Pow(scaled[i] - xhat[i], 2), errors[i], 12);
            }

            // A tolerance, not decimal places: rounding both to 14 places parts two values an ulp apart at a boundary.
            Assert.Equal(scores[r], errors.Skip(r * 8).Take(8).Average(), 1e-13);
        }
    }

    [Fact]
    public void An_explanation_names_the_columns_that_were_corrupted()
    {
        (float[] train, _) = DigitsData.Load();
        var model = new F64x16();
        model.Fit(train, new TrainingOptions { Epochs = 20, BatchSize = 64, Optimizer = new Adam(0.01) });

        // A digit whose pixels 5 and 40 are set to the opposite of what they were (values are 0…16 scaled to 0…1).
        float[] row = train.AsSpan(0, 64).ToArray();
        row[5] = 1 - row[5];
        row[40] = 1 - row[40];
        ColumnError<float>[] top = model.Explain(row, top: 2);
        Assert.Equal([5, 40], top.Select(c => c.Column).Order().ToArray());
        Assert.True(top[0].Error >= top[1].Error);
        Assert.InRange(top[0].Share + top[1].Share, 0.5, 1.0);

        // A value that is not finite is the whole of its row's error.
        row[17] = float.NaN;
        ColumnError<float> blamed = Assert.Single(model.Explain(row, top: 1));
        Assert.Equal((17, float.PositiveInfinity, 1.0), (blamed.Column, blamed.Error, blamed.Share));

        Assert.Throws<ArgumentException>(() => model.Explain(row.AsSpan(0, 63)));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Explain(row, top: 0));
    }

    [Fact]
    public void On_the_digits_noise_scores_above_the_99th_percentile_of_training_rows()
    {
        (float[] train, float[] test) = DigitsData.Load();
        var model = new F64x16();
        model.Fit(train, new TrainingOptions { Epochs = 20, BatchSize = 64, Optimizer = new Adam(0.01) });

        float threshold = model.AnomalyThresholdFromQuantile(train, 0.99);
        float[] trainScores = model.Score(train);
        int above = trainScores.Count(s => s > threshold);
        Assert.InRange(above, 10, 16); // 1% of 1,437 rows, give or take ties and interpolation

        float[] noise = TestData.Rows<float>(50, 64, 11);
        Assert.All(model.Score(noise), s => Assert.True(s > threshold, $"noise scored {s}, threshold {threshold}"));
        Assert.True(model.Score(test).Count(s => s > threshold) < 36, "most unseen digits should look normal");
    }

    [Fact]
    public void Streaming_scores_from_csv_equal_scores_of_the_rows_in_memory()
    {
        var model = new D8x3(seed: 4);
        double[] rows = TestData.Rows<double>(23, 8, 9);
        string path = _directory.File("rows.csv");
        File.WriteAllLines(path, Enumerable.Range(0, 23).Select(r => string.Join(",", rows.Skip(r * 8).Take(8).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));

        double[] streamed = model.ScoreCsv(path, rowsPerBlock: 5).ToArray();
        Assert.Equal(model.Score(rows), streamed);

        var wide = Assert.Throws<CsvDataException>(() => new F2x2().ScoreCsv<float>(path).ToArray());
        Assert.Contains("model takes n = 2", wide.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_line_while_scoring_a_csv_is_thrown_after_the_scores_before_it_or_skipped_or_scored_infinity()
    {
        var model = new D8x3(seed: 4);
        double[] rows = TestData.Rows<double>(10, 8, 12);
        string[] lines = Enumerable.Range(0, 10).Select(r => string.Join(",", rows.Skip(r * 8).Take(8).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))).ToArray();
        lines[6] = lines[6].Replace(lines[6].Split(',')[3], "x", StringComparison.Ordinal);   // line 7: a value that is not a number
        lines[8] = string.Join(",", lines[8].Split(',').Take(7));                             // line 9: a column short
        string path = _directory.File("bad.csv");
        File.WriteAllLines(path, lines);
        double[] expected = model.Score(rows);

        // Throw (the default): every score before the bad line comes out first, in blocks of 4 rows here.
        var before = new System.Collections.Generic.List<double>();
        var error = Assert.Throws<CsvDataException>(() =>
        {
            foreach (double score in model.ScoreCsv(path, rowsPerBlock: 4))
            {
                before.Add(score);
            }
        });
        Assert.Equal(7, error.Line);
        Assert.Equal(expected[..6], before);

        // Skip: the good rows' scores, and the skipped lines afterwards.
        var skipped = new System.Collections.Generic.List<int>();
        double[] kept = model.ScoreCsv(path, new CsvOptions { BadRows = CsvBadRows.Skip, SkippedLines = skipped }, rowsPerBlock: 4).ToArray();
        Assert.Equal([7, 9], skipped);
        Assert.Equal(expected.Where((_, r) => r is not (6 or 8)), kept);

        // AsNaN: every row keeps its place, and the bad ones score +∞, above any threshold.
        double[] all = model.ScoreCsv(path, new CsvOptions { BadRows = CsvBadRows.AsNaN }, rowsPerBlock: 4).ToArray();
        Assert.Equal(10, all.Length);
        Assert.Equal([double.PositiveInfinity, double.PositiveInfinity], new[] { all[6], all[8] });
        // In double precision a row that shares a vector with a NaN row can come out an ulp apart: .NET's vector e^x
        // takes another path for a whole vector that holds a lane out of its range.
        foreach (int r in new[] { 0, 1, 2, 3, 4, 5, 7, 9 })
        {
            Assert.Equal(expected[r], all[r], 1e-14);
        }

        Assert.Throws<ArgumentException>(() => CsvRows.ReadAll<double>(path, new CsvOptions { BadRows = (CsvBadRows)7 }));
    }

    [Fact]
    public void Reading_ahead_gives_every_block_in_order_and_stopping_early_stops_the_reader()
    {
        // Parsing runs on a thread of its own: the scores must still come in file order, across many small blocks,
        // and an enumeration left early must end the reader (or its disposal would wait for ever).
        var model = new D8x3(seed: 8);
        double[] rows = TestData.Rows<double>(5_000, 8, 21);
        string path = _directory.File("many.csv");
        File.WriteAllLines(path, Enumerable.Range(0, 5_000).Select(r => string.Join(",", rows.Skip(r * 8).Take(8).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));

        Assert.Equal(model.Score(rows), model.ScoreCsv(path, rowsPerBlock: 7).ToArray());
        Assert.Equal(model.Score(rows.AsSpan(0, 10 * 8)), model.ScoreCsv(path, rowsPerBlock: 3).Take(10).ToArray());
        using (var enumerator = model.ScoreCsv(path, rowsPerBlock: 2).GetEnumerator())
        {
            Assert.True(enumerator.MoveNext());
        }

        File.WriteAllText(path, "1,2,3,4,5,6,7,8\n");
        Assert.Single(model.ScoreCsv(path));
    }
}
