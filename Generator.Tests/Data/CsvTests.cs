using System;
using System.IO;
using System.Linq;
using AeGen.Tests.Checkpoints;
using AeGen.Tests.Training;
using Xunit;

namespace AeGen.Tests.Data;

/// <summary>Reading rows from CSV: the digits, headers and column choice, streaming, and refusals that say where.</summary>
public sealed class CsvTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string Write(string text)
    {
        string path = _directory.File("data.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_digits_read_with_Sep_match_a_plain_split()
    {
        (float[] values, int columns) = CsvRows.ReadAll<float>(DigitsData.Path, new CsvOptions { Columns = Enumerable.Range(0, 64).ToArray() });
        (float[] train, float[] test) = DigitsData.Load();
        Assert.Equal(64, columns);
        Assert.Equal(train.Concat(test), values.Select(v => v / 16f));

        (double[] all, int width) = CsvRows.ReadAll<double>(DigitsData.Path);
        Assert.Equal(65, width);
        Assert.Equal(1797 * 65, all.Length);
        Assert.Equal(0, all[64]);
        Assert.Equal(2, all[(3 * 65) - 1]);
    }

    [Fact]
    public void Columns_are_chosen_by_name_or_index_in_the_order_asked()
    {
        string path = Write("a,b,c\n1,2,3\n4,5.5,-6e1\n");
        (double[] byName, int n) = CsvRows.ReadAll<double>(path, new CsvOptions { HasHeader = true, ColumnNames = ["c", "a"] });
        Assert.Equal(2, n);
        Assert.Equal([3, 1, -60, 4], byName);
        (double[] byIndex, _) = CsvRows.ReadAll<double>(path, new CsvOptions { HasHeader = true, Columns = [1] });
        Assert.Equal([2, 5.5], byIndex);

        var missing = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<double>(path, new CsvOptions { HasHeader = true, ColumnNames = ["d"] }));
        Assert.Contains("no column named 'd'", missing.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CsvRows.ReadAll<double>(path, new CsvOptions { ColumnNames = ["a"] }));
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_columns_is_refused_with_its_line()
    {
        string path = Write("1,2,3\n4,5,6\n7,8\n");
        var error = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<float>(path));
        Assert.Equal(3, error.Line);
        Assert.Contains("line 3: expected 3 columns, but found 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("data.csv", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,2\n3,abc\n", 2, 2, "'abc' is not a finite number")]
    [InlineData("h1,h2\n1,2\n3,4\nNaN,1\n", 4, 1, "'NaN'")]
    [InlineData("1,1e999\n", 1, 2, "'1e999'")]
    [InlineData("1,\n", 1, 2, "'' is not a finite number")]
    public void A_value_that_is_not_a_finite_number_is_refused_with_line_and_column(string text, int line, int column, string expected)
    {
        string path = Write(text);
        var error = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<double>(path, new CsvOptions { HasHeader = text.StartsWith('h') }));
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains($"line {line}, column {column} (both counting from 1)", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,5")]
    [InlineData("1,5e3")]
    [InlineData("2,000")]
    public void A_decimal_or_thousands_comma_is_not_a_number(string cell)
    {
        // Read with ';' between values, a cell holding ',' is refused as the invariant culture refuses it, not read as
        // 15, 15000 or 2000 (as a parser taking ',' for a thousands separator would).
        string path = Write($"1;{cell}\n");
        var error = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<float>(path, new CsvOptions { Separator = ';' }));
        Assert.Contains($"'{cell}' is not a finite number", error.Message, StringComparison.Ordinal);
        Assert.Equal([1.5f, 0.25f, 100f, 2f], CsvRows.ReadAll<float>(Write(" 1.5; .25;1e2 ;+2\n"), new CsvOptions { Separator = ';' }).Values);
    }

    [Fact]
    public void A_column_index_past_the_line_is_named_as_it_was_given()
    {
        string path = Write("1,2,3\n4,5,6\n");
        var error = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<float>(path, new CsvOptions { Columns = [0, 5] }));
        Assert.Contains("line 1: column index 5 (counting from 0) was asked for, but the line has only 3 columns.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_read_as_data_is_refused_with_the_fix()
    {
        string path = Write("cpu_pct,mem_mb\n1,2\n3,4\n");
        var error = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<float>(path));
        Assert.Equal(CsvFix.SetHasHeader, error.Fix);
        Assert.Contains("line 1, column 1 (both counting from 1): 'cpu_pct' is not a finite number. If line 1 names the columns, set CsvOptions.HasHeader = true.", error.Message, StringComparison.Ordinal);

        Assert.Equal([1f, 2f, 3f, 4f], CsvRows.ReadAll<float>(path, new CsvOptions { HasHeader = true }).Values);

        // A later line gets no such hint.
        string later = Write("1,2\n3,x\n");
        Assert.Equal(CsvFix.None, Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<float>(later)).Fix);
    }

    [Theory]
    [InlineData("1;2;3\n4;5;6\n", ',', ';', "'1;2;3'")]
    [InlineData("1\t2\n3\t4\n", ',', '\t', "'\\t'")]
    [InlineData("1,2\n3,4\n", ';', ',', "','")]
    public void A_file_with_another_separator_is_refused_with_the_separator_it_seems_to_use(string text, char given, char seen, string shown)
    {
        string path = Write(text);
        var error = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<double>(path, new CsvOptions { Separator = given }));
        Assert.Equal(CsvFix.SetSeparator, error.Fix);
        Assert.Equal(seen, error.SuggestedSeparator);
        Assert.Contains(shown, error.Message, StringComparison.Ordinal);
        Assert.Contains("set CsvOptions.Separator =", error.Message, StringComparison.Ordinal);
        double[] expected = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(l => l.Split(seen)).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected, CsvRows.ReadAll<double>(path, new CsvOptions { Separator = seen }).Values);
    }

    [Fact]
    public void Streaming_reads_fixed_blocks_with_a_short_last_one()
    {
        int[] sizes = CsvRows.ReadBlocks<float>(DigitsData.Path, new CsvOptions { Columns = Enumerable.Range(0, 64).ToArray() }, 100)
            .Select(b => b.Length / 64).ToArray();
        Assert.Equal(18, sizes.Length);
        Assert.All(sizes[..^1], s => Assert.Equal(100, s));
        Assert.Equal(97, sizes[^1]);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        string path = Write(string.Empty);
        Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<float>(path));
    }
}
