using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Training;

/// <summary>Fit on a stream of blocks: its shuffle buffer, its agreement with the in-memory Fit, and its refusals.</summary>
public class StreamingFitTests
{
    /// <summary>Rows 0..m−1 whose values identify them: row r is (r, r + 0.5).</summary>
    private static double[] NumberedRows(int m) => Enumerable.Range(0, m).SelectMany(r => new[] { r, r + 0.5 }).ToArray();

    /// <summary>The rows in blocks of <paramref name="rowsPerBlock"/> rows (the last one shorter), each a fresh slice.</summary>
    private static List<ReadOnlyMemory<T>> Blocks<T>(T[] values, int width, int rowsPerBlock)
    {
        var blocks = new List<ReadOnlyMemory<T>>();
        for (int start = 0; start < values.Length; start += rowsPerBlock * width)
        {
            blocks.Add(values.AsMemory(start, Math.Min(rowsPerBlock * width, values.Length - start)));
        }

        return blocks;
    }

    /// <summary>Counts its enumerations and can hand a replacement block on a chosen one (0-based).</summary>
    private sealed class CountingBlocks<T>(IReadOnlyList<ReadOnlyMemory<T>> blocks) : IEnumerable<ReadOnlyMemory<T>>
    {
        public int Enumerations { get; private set; }

        public (int Enumeration, int Block, ReadOnlyMemory<T> Value)? Replace { get; init; }

        public IEnumerator<ReadOnlyMemory<T>> GetEnumerator()
        {
            int enumeration = Enumerations++;
            for (int b = 0; b < blocks.Count; b++)
            {
                yield return Replace is { } r && r.Enumeration == enumeration && r.Block == b ? r.Value : blocks[b];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public static TheoryData<ScalerKind> Scalings => [ScalerKind.None, ScalerKind.MinMax, ScalerKind.Standard];

    [Theory]
    [MemberData(nameof(Scalings))]
    public void One_block_and_a_buffer_that_holds_every_row_give_the_in_memory_parameters_bit_for_bit(ScalerKind scaling)
    {
        double[] raw = TestData.Rows<double>(300, 8, 11).Select((v, i) => (v * (1 + (i % 8))) - 2).ToArray();
        double[] validation = TestData.Rows<double>(40, 8, 12);
        var options = new TrainingOptions
        {
            Epochs = 4, BatchSize = 32, Optimizer = new Adam(0.01), Seed = 3, Scaling = scaling,
            ValidationRows = validation, Patience = 10, ShuffleBufferRows = 300,
        };

        var inMemory = new D8x3();
        inMemory.Initialize(7);
        TrainingReport expected = inMemory.Fit(raw, options);
        var streamed = new D8x3();
        streamed.Initialize(7);
        TrainingReport actual = streamed.Fit([raw.AsMemory()], options);

        Assert.Equal(inMemory.Parameters.ToArray(), streamed.Parameters.ToArray());
        Assert.Equal(expected.Epochs.Select(e => (e.TrainingCost, e.ValidationCost)), actual.Epochs.Select(e => (e.TrainingCost, e.ValidationCost)));
        Assert.Equal(inMemory.Scaler?.Shift.ToArray(), streamed.Scaler?.Shift.ToArray());
        Assert.Equal(inMemory.Scaler?.Divisor.ToArray(), streamed.Scaler?.Divisor.ToArray());
    }

    [Fact]
    public void How_the_rows_are_split_into_blocks_does_not_matter_when_the_buffer_holds_them_all()
    {
        float[] raw = TestData.Rows<float>(500, 64, 21);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 64, Optimizer = new Adam(0.01), Seed = 9, Scaling = ScalerKind.Standard };

        var whole = new F64x16();
        whole.Initialize(1);
        whole.Fit(raw, options);
        var split = new F64x16();
        split.Initialize(1);
        split.Fit(Blocks(raw, 64, 37), options);

        Assert.Equal(whole.Parameters.ToArray(), split.Parameters.ToArray());
    }

    [Fact]
    public void A_small_buffer_trains_on_every_row_once_per_epoch_mixed_across_blocks()
    {
        var model = new ScriptedModel();
        TrainingReport report = model.Fit(Blocks(NumberedRows(100), 2, 10),
            new TrainingOptions { Epochs = 2, BatchSize = 8, Optimizer = new Sgd(0.1), Seed = 4, ShuffleBufferRows = 16 });

        Assert.Equal(StopReason.Completed, report.StopReason);
        // 100 rows in batches of 8: twelve full and one of 4, per epoch.
        Assert.Equal(Enumerable.Repeat(16, 12).Append(8).Concat(Enumerable.Repeat(16, 12).Append(8)), model.Batches.Select(b => b.Length));
        for (int epoch = 0; epoch < 2; epoch++)
        {
            double[] seen = model.Batches.Skip(epoch * 13).Take(13).SelectMany(b => b).Where((_, i) => i % 2 == 0).ToArray();
            Assert.Equal(Enumerable.Range(0, 100).Select(r => (double)r), seen.Order());
            // Mixed: not the stream's order, and some mini-batch holds rows of different blocks.
            Assert.NotEqual(Enumerable.Range(0, 100).Select(r => (double)r), seen);
            Assert.Contains(model.Batches.Skip(epoch * 13).Take(13),
                b => b.Where((_, i) => i % 2 == 0).Select(r => (int)r / 10).Distinct().Count() > 1);
        }
    }

    [Fact]
    public void A_buffer_of_one_row_keeps_the_stream_order()
    {
        var model = new ScriptedModel();
        model.Fit(Blocks(NumberedRows(30), 2, 7), new TrainingOptions { Epochs = 1, BatchSize = 4, Optimizer = new Sgd(0.1), ShuffleBufferRows = 1 });
        Assert.Equal(NumberedRows(30), model.Batches.SelectMany(b => b));
    }

    [Fact]
    public void The_buffer_grows_to_its_capacity_keeping_its_rows_and_clears_for_the_next_epoch()
    {
        var buffer = new ShuffleBuffer<float>(capacity: 3000, width: 5);
        for (int i = 0; i < 3000; i++)
        {
            buffer.Append().Fill(i);
        }

        Assert.True(buffer.IsFull);
        Assert.Equal(3000 * 5, buffer.Rows.Length);
        Assert.Equal(2999f, buffer.Row(2999)[4]);
        buffer.Clear();
        Assert.Equal(0, buffer.Rows.Length);
    }

    [Fact]
    public void The_result_does_not_depend_on_the_thread_count()
    {
        float[] raw = TestData.Rows<float>(1200, 64, 5);
        float[] Train(int threads)
        {
            var model = new F64x16();
            model.Initialize(2);
            model.Fit(Blocks(raw, 64, 100), new TrainingOptions
            {
                Epochs = 2, BatchSize = 600, Optimizer = new Adam(0.01), ShuffleBufferRows = 700, MaxDegreeOfParallelism = threads,
            });
            return model.Parameters.ToArray();
        }

        Assert.Equal(Train(1), Train(2));
    }

    [Theory]
    [InlineData(ScalerKind.None, 3)]
    [InlineData(ScalerKind.MinMax, 4)]
    public void The_blocks_are_enumerated_once_per_epoch_and_once_more_to_fit_a_scaler(ScalerKind scaling, int enumerations)
    {
        var blocks = new CountingBlocks<double>(Blocks(TestData.Rows<double>(50, 8, 1), 8, 9));
        new D8x3().Fit(blocks, new TrainingOptions { Epochs = 3, BatchSize = 16, Scaling = scaling });
        Assert.Equal(enumerations, blocks.Enumerations);
    }

    [Fact]
    public void A_block_that_is_not_whole_rows_is_refused_by_number_and_the_model_is_unchanged()
    {
        double[] raw = TestData.Rows<double>(40, 8, 2);
        var blocks = new CountingBlocks<double>(Blocks(raw, 8, 10)) { Replace = (1, 2, raw.AsMemory(0, 13)) };
        var model = new D8x3();
        model.Initialize(3);
        double[] before = model.Parameters.ToArray();

        var error = Assert.Throws<ArgumentException>(() => model.Fit(blocks, new TrainingOptions { Epochs = 3, BatchSize = 8, Optimizer = new Sgd(0.5) }));
        Assert.Contains("whole rows of n = 8 values", error.Message);
        Assert.Contains("block 3 (counting from 1) holds 13 values", error.Message);
        Assert.Equal(2, blocks.Enumerations);
        Assert.Equal(before, model.Parameters.ToArray());
    }

    [Fact]
    public void A_value_that_is_not_finite_in_a_later_epoch_is_named_and_the_trained_epochs_are_undone()
    {
        double[] raw = TestData.Rows<double>(40, 8, 2);
        double[] bad = raw.AsSpan(20 * 8, 10 * 8).ToArray();
        bad[(3 * 8) + 5] = double.PositiveInfinity;
        var blocks = new CountingBlocks<double>(Blocks(raw, 8, 10)) { Replace = (2, 2, bad) };
        var model = new D8x3();
        model.Initialize(3);
        model.Scaler = new FeatureScaler(ScalerKind.MinMax, new double[8], Enumerable.Repeat(2.0, 8).ToArray());
        FeatureScaler scaler = model.Scaler;
        double[] before = model.Parameters.ToArray();

        var error = Assert.Throws<ArgumentException>(() => model.Fit(blocks, new TrainingOptions { Epochs = 3, BatchSize = 8, Optimizer = new Sgd(0.5), Scaling = ScalerKind.Standard }));
        Assert.Contains("row 4 of block 3 (row 24 of the stream), column 6", error.Message);
        // The scaler's pass (enumeration 0) and epoch 1 ran; epoch 2 (enumeration 2) met the value.
        Assert.Equal(3, blocks.Enumerations);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Same(scaler, model.Scaler);
    }

    [Fact]
    public void A_stream_without_rows_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new D8x3().Fit(new List<ReadOnlyMemory<double>> { ReadOnlyMemory<double>.Empty }, new TrainingOptions()));
        Assert.Contains("at least one row of n = 8 values, but the stream held none (1 blocks)", error.Message);
    }

    [Fact]
    public void A_buffer_of_no_rows_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new D8x3().Fit(Blocks(TestData.Rows<double>(4, 8, 1), 8, 2), new TrainingOptions { ShuffleBufferRows = 0 }));
        Assert.Contains("ShuffleBufferRows must be positive, but it is 0", error.Message);
    }

    [Fact]
    public void Cancellation_and_early_stopping_end_a_stream_as_they_end_the_in_memory_fit()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new ImmediateProgress(report =>
        {
            if (report.Epoch == 2)
            {
                cancel.Cancel();
            }
        });
        var model = new ScriptedModel();
        TrainingReport cancelled = model.Fit(Blocks(NumberedRows(40), 2, 10),
            new TrainingOptions { Epochs = 10, BatchSize = 8, Optimizer = new Sgd(0.1), ShuffleBufferRows = 12, Progress = progress, CancellationToken = cancel.Token });
        Assert.Equal(StopReason.Cancelled, cancelled.StopReason);
        Assert.Equal(2, cancelled.Epochs.Count);

        var scripted = new ScriptedModel();
        foreach (double cost in new[] { 5.0, 4.0, 4.5, 4.6, 4.7 })
        {
            scripted.ValidationCosts.Enqueue(cost);
        }

        TrainingReport early = scripted.Fit(Blocks(NumberedRows(40), 2, 10), new TrainingOptions
        {
            Epochs = 10, BatchSize = 8, Optimizer = new Sgd(0.1), ShuffleBufferRows = 12, Patience = 3, ValidationRows = NumberedRows(4),
        });
        Assert.Equal(StopReason.EarlyStopped, early.StopReason);
        Assert.Equal(2, early.BestEpoch);
        Assert.Equal(5, early.Epochs.Count);
    }

    [Fact]
    public void A_csv_file_read_in_blocks_each_epoch_trains_as_the_whole_file_read_at_once()
    {
        string path = Path.Combine(Path.GetTempPath(), $"aegen-stream-{Guid.NewGuid():N}.csv");
        try
        {
            double[] raw = TestData.Rows<double>(120, 8, 8);
            File.WriteAllLines(path, Enumerable.Range(0, 120).Select(r => string.Join(',', raw.Skip(r * 8).Take(8).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
            var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Optimizer = new Adam(0.01), Scaling = ScalerKind.MinMax };

            var whole = new D8x3();
            whole.Fit(CsvRows.Read<double>(path), options);
            var streamed = new D8x3();
            streamed.Fit(CsvRows.ReadBlocks<double>(path, null, rowsPerBlock: 25), options);
            Assert.Equal(whole.Parameters.ToArray(), streamed.Parameters.ToArray());

            // A line the parser refuses reaches the caller with its line and column, and the model is as it was.
            File.AppendAllText(path, "0.5,0.5,0.5,x,0.5,0.5,0.5,0.5\n");
            double[] before = streamed.Parameters.ToArray();
            var error = Assert.Throws<CsvDataException>(() => streamed.Fit(CsvRows.ReadBlocks<double>(path, null, 25), options with { Scaling = ScalerKind.None }));
            Assert.Equal(121, error.Line);
            Assert.Equal(4, error.Column);
            Assert.Equal(before, streamed.Parameters.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
