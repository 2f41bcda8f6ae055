using System.CommandLine;
using System.IO;
using System.Linq;
using AeGen.Detector;
using AeGen.Sample.Commands;
using AeGen.Sample.Data;
using Xunit;

namespace AeGen.Tests.Sample;

public class CommandLineTests
{
    private readonly SampleCommandLine commandLine = new(new RecordingConsole().Console);

    [Fact]
    public void No_arguments_choose_the_digits_demo_with_its_defaults()
    {
        var settings = Assert.IsType<DigitsDemoSettings>(commandLine.Settings(commandLine.Parse()));

        Assert.Equal(SampleCommandLine.DefaultOutputFolder, settings.OutputFolder);
        Assert.Equal(50, settings.Epochs);
        Assert.Equal(DigitsData.DefaultPath, settings.DataPath);
    }

    [Fact]
    public void Demo_options_are_read()
    {
        var settings = Assert.IsType<DigitsDemoSettings>(commandLine.Settings(commandLine.Parse("-o", "pictures", "--epochs", "3", "--data", "d.csv")));

        Assert.Equal(new DigitsDemoSettings("pictures", 3, "d.csv"), settings);
    }

    [Fact]
    public void Train_reads_every_option()
    {
        ParseResult result = commandLine.Parse(
            "train", "rows.csv", "--columns", "0-2,5", "--header", "--epochs", "7", "--batch-size", "16", "--learning-rate", "0.002",
            "--seed", "9", "--validation-fraction", "0.25", "--quantile", "0.95", "--output", "runs");

        var settings = Assert.IsType<TrainSettings>(commandLine.Settings(result));

        Assert.Equal("rows.csv", settings.CsvPath);
        Assert.Equal([0, 1, 2, 5], settings.Columns!.ToArray());
        Assert.True(settings.HasHeader);
        Assert.Equal(7, settings.Epochs);
        Assert.Equal(16, settings.BatchSize);
        Assert.Equal(0.002, settings.LearningRate);
        Assert.Equal(9, settings.Seed);
        Assert.Equal(0.25, settings.ValidationFraction);
        Assert.Equal(0.95, settings.Quantile);
        Assert.Equal("runs", settings.OutputFolder);
        Assert.Null(settings.Contamination);
        Assert.Null(settings.Separator);
        Assert.Equal('\t', Assert.IsType<TrainSettings>(commandLine.Settings(commandLine.Parse("train", "rows.csv", "--separator", "tab"))).Separator);
        Assert.Equal(';', Assert.IsType<ScoreSettings>(commandLine.Settings(commandLine.Parse("score", "m", "rows.csv", "--separator", ";"))).Separator);
        Assert.Equal(0.03, Assert.IsType<TrainSettings>(commandLine.Settings(commandLine.Parse("train", "rows.csv", "--contamination", "0.03"))).Contamination);
    }

    [Fact]
    public void Train_defaults_match_the_documented_configuration()
    {
        var settings = Assert.IsType<TrainSettings>(commandLine.Settings(commandLine.Parse("train", "rows.csv")));

        Assert.Equal(new TrainSettings("rows.csv", null, false, 50, 64, 0.01, 0, 0.2, 0.999, SampleCommandLine.DefaultOutputFolder), settings);
    }

    [Fact]
    public void Train_reads_scaling_and_patience_and_explain_its_rows()
    {
        var train = Assert.IsType<TrainSettings>(commandLine.Settings(commandLine.Parse("train", "rows.csv", "--scaling", "standard", "--patience", "4")));
        Assert.Equal((ScalerKind.Standard, 4), (train.Scaling, train.Patience));
        Assert.Equal(ScalerKind.None, Assert.IsType<TrainSettings>(commandLine.Settings(commandLine.Parse("train", "rows.csv", "--scaling", "none"))).Scaling);
        Assert.Equal((ScalerKind.MinMax, (int?)null), (Assert.IsType<TrainSettings>(commandLine.Settings(commandLine.Parse("train", "rows.csv"))).Scaling, Assert.IsType<TrainSettings>(commandLine.Settings(commandLine.Parse("train", "rows.csv"))).Patience));

        Assert.Equal("l.csv", Assert.IsType<TrainSettings>(commandLine.Settings(commandLine.Parse("train", "rows.csv", "--labels", "l.csv"))).LabelsPath);
        Assert.Equal(CsvBadRows.AsNaN, Assert.IsType<ScoreSettings>(commandLine.Settings(commandLine.Parse("score", "m", "rows.csv", "--bad-rows", "flag"))).BadRows);
        Assert.Equal(CsvBadRows.Throw, Assert.IsType<ScoreSettings>(commandLine.Settings(commandLine.Parse("score", "m", "rows.csv"))).BadRows);
        var explain = Assert.IsType<ExplainSettings>(commandLine.Settings(commandLine.Parse("explain", "m.safetensors", "rows.csv", "--rows", "3,10-12", "--top", "2")));
        Assert.Equal([3, 10, 11, 12], explain.Rows!.ToArray());
        Assert.Equal(2, explain.Top);
        var byDefault = Assert.IsType<ExplainSettings>(commandLine.Settings(commandLine.Parse("explain", "m.safetensors", "rows.csv")));
        Assert.Null(byDefault.Rows);
        Assert.Equal(3, byDefault.Top);
    }

    [Fact]
    public void Score_reads_its_arguments_and_options()
    {
        var settings = Assert.IsType<ScoreSettings>(commandLine.Settings(commandLine.Parse("score", "m.safetensors", "rows.csv", "--threshold", "0.5", "-o", "s.csv", "--columns", "3")));

        Assert.Equal("m.safetensors", settings.ModelPath);
        Assert.Equal("rows.csv", settings.CsvPath);
        Assert.Equal([3], settings.Columns!.ToArray());
        Assert.False(settings.HasHeader);
        Assert.Equal(0.5, settings.Threshold);
        Assert.Equal("s.csv", settings.OutputPath);
    }

    [Fact]
    public void Score_without_a_threshold_leaves_it_to_the_file_beside_the_model()
    {
        var settings = Assert.IsType<ScoreSettings>(commandLine.Settings(commandLine.Parse("score", "m.safetensors", "rows.csv")));

        Assert.Null(settings.Threshold);
        Assert.Equal(Path.Combine(SampleCommandLine.DefaultOutputFolder, "scores.csv"), settings.OutputPath);
    }

    [Theory]
    [InlineData("--epochs must be a positive whole number; it was 0.", "train", "rows.csv", "--epochs", "0")]
    [InlineData("--batch-size must be a positive whole number; it was -4.", "train", "rows.csv", "--batch-size", "-4")]
    [InlineData("--learning-rate must be a positive number; it was 0.", "train", "rows.csv", "--learning-rate", "0")]
    [InlineData("--validation-fraction must be at least 0 and below 1; it was 1.", "train", "rows.csv", "--validation-fraction", "1")]
    [InlineData("--quantile must lie between 0 and 1; it was 1.5.", "train", "rows.csv", "--quantile", "1.5")]
    [InlineData("--separator must be one character or tab; it was ';;'.", "train", "rows.csv", "--separator", ";;")]
    [InlineData("--scaling must be minmax, standard or none; it was 'log'.", "train", "rows.csv", "--scaling", "log")]
    [InlineData("--patience must be a positive whole number; it was 0.", "train", "rows.csv", "--patience", "0")]
    [InlineData("'x' in --rows 'x' is not a column index or a range such as 0-63 (zero-based, comma-separated).", "explain", "m", "rows.csv", "--rows", "x")]
    [InlineData("--validation-fraction must lie strictly between 0 and 1 here, since the sizes are compared on those rows; it was 0.", "hidden", "rows.csv", "--validation-fraction", "0")]
    [InlineData("--bad-rows must be stop, skip or flag; it was 'drop'.", "score", "m", "rows.csv", "--bad-rows", "drop")]
    [InlineData("--contamination must lie strictly between 0 and 1 (0.02 for 2% anomalies); it was 0.", "train", "rows.csv", "--contamination", "0")]
    [InlineData("The range '9-3' in --columns '0,9-3' ends before it starts.", "train", "rows.csv", "--columns", "0,9-3")]
    [InlineData("'x' in --columns 'x' is not a column index or a range such as 0-63 (zero-based, comma-separated).", "score", "m", "rows.csv", "--columns", "x")]
    [InlineData("--epochs must be a positive whole number; it was 0.", "--epochs", "0")]
    public void Bad_values_are_parse_errors_that_say_what_was_wrong(string message, params string[] args)
    {
        ParseResult result = commandLine.Parse(args);

        Assert.Contains(message, result.Errors.Select(error => error.Message));
    }

    [Fact]
    public void Missing_arguments_are_parse_errors()
    {
        Assert.NotEmpty(commandLine.Parse("train").Errors);
        Assert.NotEmpty(commandLine.Parse("score", "m.safetensors").Errors);
        Assert.Empty(commandLine.Parse("score", "m.safetensors", "rows.csv").Errors);
    }

    [Theory]
    [InlineData(new[] { "--help" }, new[] { "--output", "--epochs", "--data", "train", "score" })]
    [InlineData(new[] { "train", "--help" }, new[] { "<csv>", "--columns", "--header", "--separator", "--epochs", "--batch-size", "--learning-rate", "--seed", "--validation-fraction", "--quantile", "--contamination", "--scaling", "--patience", "--labels", "--output" })]
    [InlineData(new[] { "hidden", "--help" }, new[] { "<csv>", "--columns", "--header", "--separator", "--epochs", "--validation-fraction", "--scaling" })]
    [InlineData(new[] { "explain", "--help" }, new[] { "<model>", "<csv>", "--columns", "--header", "--separator", "--rows", "--top" })]
    [InlineData(new[] { "score", "--help" }, new[] { "<model>", "<csv>", "--columns", "--header", "--separator", "--threshold", "--bad-rows", "--output" })]
    public void Every_command_has_help_listing_its_options(string[] args, string[] expected)
    {
        var output = new StringWriter();

        int exitCode = commandLine.Parse(args).Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        foreach (string text in expected)
        {
            Assert.Contains(text, output.ToString());
        }
    }
}
