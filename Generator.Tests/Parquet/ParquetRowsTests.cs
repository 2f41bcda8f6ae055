using System;
using System.IO;
using System.Linq;
using AeGen.Parquet;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using global::Parquet;
using global::Parquet.Schema;
using Xunit;

namespace AeGen.Tests.ParquetFiles;

/// <summary>Reading rows from Parquet files written by Parquet.Net itself, and scores written back as Parquet.</summary>
public sealed class ParquetRowsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"aegen-parquet-{Guid.NewGuid():N}");

    public ParquetRowsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A file of columns a (float), b (nullable double), c (int) and name (string), in row groups of the given sizes.</summary>
    private string Write(string name, int[] groups, Func<long, double?>? b = null)
    {
        string path = Path.Combine(_folder, name);
        var schema = new ParquetSchema(new DataField<float>("a"), new DataField<double?>("b"), new DataField<int>("c"), new DataField<string>("name"));
        using (FileStream file = File.Create(path))
        {
            ParquetWriter writer = ParquetWriter.CreateAsync(schema, file).GetAwaiter().GetResult();
            long row = 0;
            foreach (int size in groups)
            {
                using (ParquetRowGroupWriter group = writer.CreateRowGroup())
                {
                    long first = row;
                    group.WriteAsync<float>(schema.DataFields[0], Enumerable.Range(0, size).Select(i => (float)(first + i) / 4).ToArray()).GetAwaiter().GetResult();
                    group.WriteAsync<double>(schema.DataFields[1], Enumerable.Range(0, size).Select(i => b is null ? (first + i) * 10.0 : b(first + i)).ToArray()).GetAwaiter().GetResult();
                    group.WriteAsync<int>(schema.DataFields[2], Enumerable.Range(0, size).Select(i => (int)(first + i) % 7).ToArray()).GetAwaiter().GetResult();
                    group.WriteAsync(schema.DataFields[3], Enumerable.Range(0, size).Select(i => $"row {first + i}").ToArray()).GetAwaiter().GetResult();
                }

                row += size;
            }

            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return path;
    }

    [Fact]
    public void Chosen_columns_of_every_row_group_read_row_after_row_in_the_order_asked_for()
    {
        string path = Write("rows.parquet", [5, 3, 4]);
        RowTable<double> table = ParquetRows.Read<double>(path, ["c", "a", "b"]);

        Assert.Equal(12, table.Rows);
        Assert.Equal(["c", "a", "b"], table.ColumnNames);
        for (int r = 0; r < 12; r++)
        {
            Assert.Equal([r % 7, r / 4.0, r * 10.0], table.Row(r).ToArray());
        }
    }

    [Fact]
    public void Blocks_cut_across_row_groups_and_hold_every_row_once()
    {
        string path = Write("blocks.parquet", [5, 3, 4]);
        float[][] blocks = ParquetRows.ReadBlocks<float>(path, ["a", "c"], rowsPerBlock: 5).Select(b => b.ToArray()).ToArray();

        Assert.Equal([10, 10, 4], blocks.Select(b => b.Length));
        float[] all = blocks.SelectMany(b => b).ToArray();
        Assert.Equal(Enumerable.Range(0, 12).SelectMany(r => new[] { r / 4f, r % 7 }), all);
    }

    [Fact]
    public void A_model_trains_on_parquet_blocks_as_on_the_same_rows_in_memory()
    {
        string path = Write("train.parquet", [100, 60]);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Optimizer = new Adam(0.01), Scaling = ScalerKind.MinMax };
        var inMemory = new F3x2();
        inMemory.Fit(ParquetRows.Read<float>(path, ["a", "b", "c"]), options);
        var streamed = new F3x2();
        streamed.Fit(ParquetRows.ReadBlocks<float>(path, ["a", "b", "c"], 32), options);
        Assert.Equal(inMemory.Parameters.ToArray(), streamed.Parameters.ToArray());
    }

    [Fact]
    public void A_missing_column_a_text_column_and_a_null_are_refused_with_where_they_are()
    {
        string path = Write("bad.parquet", [4, 4], b => b == 6 ? null : 1.0);

        var missing = Assert.Throws<ParquetDataException>(() => ParquetRows.Read<double>(path, ["a", "z"]));
        Assert.Contains("no column named 'z'; its columns are a, b, c, name", missing.Message);
        var text = Assert.Throws<ParquetDataException>(() => ParquetRows.Read<double>(path));
        Assert.Contains("column 'name' holds text values, not numbers; choose numeric columns (a, b, c)", text.Message);
        var empty = Assert.Throws<ParquetDataException>(() => ParquetRows.ReadBlocks<double>(path, ["a", "b"]).ToList());
        Assert.Equal(7, empty.Row);
        Assert.Equal("b", empty.Column);
        Assert.Contains("row 7, column 'b'", empty.Message);
    }

    [Fact]
    public void A_value_that_is_not_finite_is_refused_with_its_row()
    {
        string path = Write("nan.parquet", [3, 3], b => b == 4 ? double.NaN : 2.0);
        var error = Assert.Throws<ParquetDataException>(() => ParquetRows.Read<float>(path, ["b"]));
        Assert.Equal(5, error.Row);
        Assert.Contains("not a finite number", error.Message);
    }

    [Fact]
    public void Scores_are_written_as_one_column_that_reads_back_to_the_bit_and_replace_a_file_atomically()
    {
        var model = new F8x3();
        TestData.Perturb(model.Parameters, 3);
        float[] scores = model.Score(TestData.Rows<float>(1000, 8, 2));
        string path = Path.Combine(_folder, "scores.parquet");
        File.WriteAllText(path, "old");

        ParquetRows.WriteColumn<float>(path, scores);

        RowTable<float> back = ParquetRows.Read<float>(path);
        Assert.Equal(["score"], back.ColumnNames);
        Assert.Equal(scores, back.Values.ToArray());
        Assert.Single(Directory.GetFiles(_folder, "scores*"));
    }

    [Fact]
    public void Scores_with_their_flags_are_two_columns_and_a_flag_per_score_is_required()
    {
        double[] scores = [0.5, 2.5, 1e30, 0.25];
        bool[] flags = [false, true, true, false];
        string path = Path.Combine(_folder, "flags.parquet");

        ParquetRows.WriteScores<double>(path, scores, flags);

        Assert.Equal(["score", "anomalous"], ParquetRows.ColumnNames(path));
        Assert.Equal(scores, ParquetRows.ReadBlocks<double>(path, ["score"]).SelectMany(b => b.ToArray()).ToArray());
        var error = Assert.Throws<ArgumentException>(() => ParquetRows.WriteScores<double>(Path.Combine(_folder, "short.parquet"), scores, flags.AsSpan(1)));
        Assert.Contains("3 flags, but there are 4 scores", error.Message);
        Assert.False(File.Exists(Path.Combine(_folder, "short.parquet")));
    }

    [Fact]
    public void A_file_that_is_not_parquet_is_refused_by_name()
    {
        string path = Path.Combine(_folder, "not.parquet");
        File.WriteAllText(path, "a,b\n1,2\n");
        var error = Assert.Throws<ParquetDataException>(() => ParquetRows.Read<float>(path));
        Assert.Contains("not.parquet is not a Parquet file that can be read", error.Message);
    }
}
