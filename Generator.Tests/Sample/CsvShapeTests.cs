using System;
using System.IO;
using System.Linq;
using AeGen.Detector;
using AeGen.Sample.Commands;
using Xunit;

namespace AeGen.Tests.Sample;

/// <summary>A CSV whose column count is not the compiled model's Inputs = 64 is refused with both numbers and the fix.</summary>
public sealed class CsvShapeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("aegen-sample-shape-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Train_on_ten_columns_names_both_counts_and_the_declaration_to_write()
    {
        string csv = WriteCsv(columns: 10, rows: 20);
        var console = new RecordingConsole();

        int exitCode = new SampleCommandLine(console.Console).Parse("train", csv, "-o", Path.Combine(folder, "out")).Invoke();

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains($"{csv} has 10 columns, but this model takes Inputs = 64 values per row.", console.Text);
        Assert.Contains("[Autoencoder(10, k)]", console.Text);
        Assert.Contains("--columns 0-63", console.Text);
        Assert.False(Directory.Exists(Path.Combine(folder, "out")), "nothing is written for refused input");
    }

    [Fact]
    public void Chosen_columns_are_counted_after_the_choice()
    {
        string csv = WriteCsv(columns: 70, rows: 5);
        var console = new RecordingConsole();

        int exitCode = new SampleCommandLine(console.Console).Parse("train", csv, "--columns", "0-29").Invoke();

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains($"{csv} has 30 chosen columns, but this model takes Inputs = 64 values per row.", console.Text);
        Assert.Contains("[Autoencoder(30, k)]", console.Text);
    }

    [Fact]
    public void Score_refuses_a_csv_of_another_width_before_reading_the_model()
    {
        string csv = WriteCsv(columns: 65, rows: 3);
        var console = new RecordingConsole();

        int exitCode = new SampleCommandLine(console.Console).Parse("score", Path.Combine(folder, "missing.safetensors"), csv).Invoke();

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains($"{csv} has 65 columns, but this model takes Inputs = 64 values per row.", console.Text);
        Assert.Contains("[Autoencoder(65, k)]", console.Text);
    }

    [Fact]
    public void A_malformed_row_is_a_message_with_its_line_not_a_crash()
    {
        string csv = Path.Combine(folder, "ragged.csv");
        File.WriteAllLines(csv, [string.Join(',', Enumerable.Repeat("1", 64)), string.Join(',', Enumerable.Repeat("1", 63))]);
        var console = new RecordingConsole();

        int exitCode = new SampleCommandLine(console.Console).Parse("train", csv).Invoke();

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("error:", console.Text);
        Assert.Contains("line 2", console.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_header_and_another_separator_are_detected_and_where_they_cannot_be_the_error_names_the_option()
    {
        string named = Path.Combine(folder, "named.csv");
        File.WriteAllLines(named, [string.Join(',', Enumerable.Range(0, 64).Select(i => $"c{i}")), .. Enumerable.Repeat(string.Join(',', Enumerable.Repeat("0.5", 64)), 8)]);
        string semicolons = Path.Combine(folder, "semicolons.csv");
        File.WriteAllLines(semicolons, Enumerable.Range(0, 8).Select(r => string.Join(';', Enumerable.Range(0, 64).Select(i => ((i + r) % 5).ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        var console = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, new SampleCommandLine(console.Console).Parse("train", named, "--epochs", "1", "-o", Path.Combine(folder, "a")).Invoke());
        Assert.Contains("line 1 is read as column names (it is not all numbers; line 2 is)", console.Text);
        console = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, new SampleCommandLine(console.Console).Parse("train", semicolons, "--epochs", "1", "-o", Path.Combine(folder, "b")).Invoke());
        Assert.Contains("the separator is ';'", console.Text);

        // A separator given that the file does not use, and names over a line that is not numbers either.
        console = new RecordingConsole();
        Assert.Equal(ExitCodes.BadInput, new SampleCommandLine(console.Console).Parse("train", semicolons, "--separator", ",", "-o", Path.Combine(folder, "c")).Invoke());
        Assert.Contains("seems to be separated by ';'", console.Text);
        Assert.Contains("hint: add --separator ';'", console.Text);
        string twoNamed = Path.Combine(folder, "two-named.csv");
        File.WriteAllLines(twoNamed, [string.Join(',', Enumerable.Range(0, 64).Select(i => $"c{i}")), string.Join(',', Enumerable.Range(0, 64).Select(i => $"unit{i}")), string.Join(',', Enumerable.Repeat("1", 64))]);
        console = new RecordingConsole();
        Assert.Equal(ExitCodes.BadInput, new SampleCommandLine(console.Console).Parse("train", twoNamed, "-o", Path.Combine(folder, "d")).Invoke());
        Assert.Contains("'c0' is not a finite number", console.Text);
        Assert.Contains("hint: add --header if the first line names the columns", console.Text);
    }

    [Fact]
    public void Training_unscaled_columns_of_very_different_ranges_prints_the_warning_with_the_fix()
    {
        // Column 0 in the thousands, the others in [0, 1].
        string csv = Path.Combine(folder, "ranges.csv");
        var random = new Random(4);
        File.WriteAllLines(csv, Enumerable.Range(0, 40).Select(_ => string.Join(',', Enumerable.Range(0, 64).Select(j =>
            (j == 0 ? 5000 * random.NextDouble() : random.NextDouble()).ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))));
        var console = new RecordingConsole();

        Assert.Equal(ExitCodes.Success, new SampleCommandLine(console.Console).Parse("train", csv, "--scaling", "none", "--epochs", "1", "-o", Path.Combine(folder, "out")).Invoke());
        Assert.Contains("warning: The rows were trained unscaled", console.Text);
        Assert.Contains("Set TrainingOptions.Scaling = ScalerKind.MinMax", console.Text);
        Assert.Contains("not scaled", console.Text);
        Assert.Contains("hint: here that is --scaling minmax", console.Text);
    }

    [Fact]
    public void Score_of_a_file_without_rows_says_so()
    {
        string csv = Path.Combine(folder, "empty.csv");
        File.WriteAllText(csv, "");
        var console = new RecordingConsole();

        int exitCode = new SampleCommandLine(console.Console).Parse("score", Path.Combine(folder, "missing.safetensors"), csv).Invoke();

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains($"{csv} holds no data rows to score.", console.Text);
    }

    private string WriteCsv(int columns, int rows)
    {
        string path = Path.Combine(folder, $"{columns}-columns.csv");
        File.WriteAllLines(path, Enumerable.Range(0, rows).Select(row => string.Join(',', Enumerable.Range(0, columns).Select(column => (row + column) % 7))));
        return path;
    }
}
