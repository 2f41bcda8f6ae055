using System;
using System.IO;
using System.Linq;
using AeGen.Tests.Checkpoints;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Data;

/// <summary>Rows that know their width: a table of another width than the model's is refused where a flat span of the same values is not.</summary>
public sealed class RowTableTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_table_read_with_a_header_knows_its_width_names_and_source()
    {
        string path = _directory.File("telemetry.csv");
        File.WriteAllLines(path, ["cpu,mem,disk,net", "1,2,3,4", "5,6,7,8", "9,10,11,12"]);

        RowTable<float> table = CsvRows.Read<float>(path, new CsvOptions { HasHeader = true, ColumnNames = ["net", "cpu"] });

        Assert.Equal((2, 3), (table.Columns, table.Rows));
        Assert.Equal(["net", "cpu"], table.ColumnNames);
        Assert.Equal(path, table.Source);
        Assert.Equal([8f, 5f], table.Row(1).ToArray());
        Assert.Equal([12f, 9f], table.Slice(2, 1).Row(0).ToArray());
        Assert.Equal(["cpu"], CsvRows.Read<float>(path, new CsvOptions { HasHeader = true, Columns = [0] }).ColumnNames);
        string bare = _directory.File("bare.csv");
        File.WriteAllLines(bare, ["1,2", "3,4"]);
        Assert.Null(CsvRows.Read<float>(bare).ColumnNames);
    }

    [Fact]
    public void Fit_and_score_refuse_a_table_of_another_width_naming_what_was_read()
    {
        // 13 columns read without choosing any, for a 12-input model: 24 rows of 13 are also 26 rows of 12.
        string path = _directory.File("wide.csv");
        string[] header = [.. Enumerable.Range(0, 12).Select(j => $"m{j}"), "label"];
        double[] values = TestData.Rows<double>(24, 13, 3);
        File.WriteAllLines(path, [string.Join(',', header), .. Enumerable.Range(0, 24).Select(r => string.Join(',', values.Skip(r * 13).Take(13).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))))]);
        RowTable<float> table = CsvRows.Read<float>(path, new CsvOptions { HasHeader = true });
        var model = new F12x4();
        float[] before = model.Parameters.ToArray();

        var fit = Assert.Throws<ArgumentException>(() => model.Fit(table, new TrainingOptions { Epochs = 1 }));
        Assert.Contains($"{path}: rows has 13 columns (m0, m1, m2, m3, m4, m5, … label), but the model takes n = 12 values per row.", fit.Message, StringComparison.Ordinal);
        Assert.Contains("declare [Autoencoder(13, k)]", fit.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Throws<ArgumentException>(() => model.Score(table));
        var validation = Assert.Throws<ArgumentException>(() => model.Fit(new float[24], new TrainingOptions { Epochs = 1, ValidationRows = table }));
        Assert.Contains("options.ValidationRows has 13 columns", validation.Message, StringComparison.Ordinal);

        // The flat values of the same file divide by 12, so a span cannot tell; the table of the right columns trains and scores.
        Assert.Equal(0, table.Values.Length % 12);
        RowTable<float> chosen = CsvRows.Read<float>(path, new CsvOptions { HasHeader = true, Columns = Enumerable.Range(0, 12).ToArray() });
        Assert.Equal(StopReason.Completed, model.Fit(chosen, new TrainingOptions { Epochs = 1, ValidationRows = chosen }).StopReason);
        Assert.Equal(model.Score(chosen.Values.Span), model.Score(chosen));
    }

    [Fact]
    public void A_table_must_be_whole_rows_and_names_must_number_the_columns()
    {
        Assert.Contains("leave 1 over", Assert.Throws<ArgumentException>(() => new RowTable<double>(new double[7], 3)).Message, StringComparison.Ordinal);
        Assert.Contains("holds 1 names", Assert.Throws<ArgumentException>(() => new RowTable<double>(new double[6], 3, ["a"])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RowTable<double>(new double[6], 3).Row(2));
    }
}
