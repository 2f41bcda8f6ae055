using System;
using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using System.IO;
using AeGen.Sample.Data;
using Spectre.Console;

namespace AeGen.Sample.Commands;

/// <summary>
/// The sample's command line (System.CommandLine, which needs no reflection): with no command it runs the digits
/// demo; <c>train</c> and <c>score</c> work on the user's CSV files. Parsing turns arguments into one of
/// <see cref="DigitsDemoSettings"/>, <see cref="TrainSettings"/> or <see cref="ScoreSettings"/>.
/// </summary>
internal sealed class SampleCommandLine
{
    public const string DefaultOutputFolder = "aegen-output";

    private readonly Option<string> demoOutput = OutputFolderOption();
    private readonly Option<int> demoEpochs = PositiveOption("--epochs", 50, "Training epochs of each model.");
    private readonly Option<string> demoData = new("--data") { Description = "The digits CSV (64 pixels 0..16 and a label per row).", DefaultValueFactory = _ => DigitsData.DefaultPath };

    private readonly Argument<string> trainCsv = new("csv") { Description = "CSV file of numbers, one sample per row." };
    private readonly Option<string?> trainColumns = ColumnsOption();
    private readonly Option<bool> trainHeader = HeaderOption();
    private readonly Option<string> trainSeparator = SeparatorOption();
    private readonly Option<int> trainEpochs = PositiveOption("--epochs", 50, "Passes over the training rows.");
    private readonly Option<int> trainBatchSize = PositiveOption("--batch-size", 64, "Rows per optimizer step.");
    private readonly Option<double> trainLearningRate = new("--learning-rate") { Description = "Adam's learning rate.", DefaultValueFactory = _ => 0.01 };
    private readonly Option<int> trainSeed = new("--seed") { Description = "Seed of the shuffle before each epoch.", DefaultValueFactory = _ => 0 };
    private readonly Option<double> trainValidation = new("--validation-fraction") { Description = "Fraction of rows, taken from the end of the file, held out to monitor the validation cost.", DefaultValueFactory = _ => 0.2 };
    private readonly Option<double> trainQuantile = new("--quantile") { Description = "Quantile of the training rows' scores used as the anomaly threshold.", DefaultValueFactory = _ => 0.99 };
    private readonly Option<double?> trainContamination = new("--contamination") { Description = "Share of anomalies expected among the training rows (0.02 for 2%): the threshold then flags that share of them, instead of --quantile." };
    private readonly Option<string> trainOutput = OutputFolderOption();

    private readonly Argument<string> scoreModel = new("model") { Description = "A model saved by train (.safetensors)." };
    private readonly Argument<string> scoreCsv = new("csv") { Description = "CSV file of rows to score." };
    private readonly Option<string?> scoreColumns = ColumnsOption();
    private readonly Option<bool> scoreHeader = HeaderOption();
    private readonly Option<string> scoreSeparator = SeparatorOption();
    private readonly Option<double?> scoreThreshold = new("--threshold") { Description = "Scores above this are flagged; default: the threshold.txt that train wrote beside the model." };
    private readonly Option<string> scoreOutput = new("--output", "-o") { Description = "CSV file to write: row, score, anomalous (1 or 0).", DefaultValueFactory = _ => Path.Combine(DefaultOutputFolder, "scores.csv") };

    /// <param name="console">Where the commands write when invoked.</param>
    public SampleCommandLine(IAnsiConsole console)
    {
        Train = new Command("train", "Train the compiled [Autoencoder(64, 16)] on your CSV; saves the model, an anomaly threshold and a cost chart.")
        {
            trainCsv, trainColumns, trainHeader, trainSeparator, trainEpochs, trainBatchSize, trainLearningRate, trainSeed, trainValidation, trainQuantile, trainContamination, trainOutput,
        };
        Score = new Command("score", "Score each row of a CSV with a saved model; writes per-row anomaly scores and flags.")
        {
            scoreModel, scoreCsv, scoreColumns, scoreHeader, scoreSeparator, scoreThreshold, scoreOutput,
        };
        Root = new RootCommand("AeGen sample. Without a command: train autoencoders on handwritten digits, detect corrupted digits, save the model and draw pictures.")
        {
            demoOutput, demoEpochs, demoData, Train, Score,
        };
        trainLearningRate.Validators.Add(result => RequirePositive(result, trainLearningRate.Name));
        trainValidation.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (value is < 0 or >= 1)
            {
                result.AddError($"--validation-fraction must be at least 0 and below 1; it was {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        trainQuantile.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (value is < 0 or > 1)
            {
                result.AddError($"--quantile must lie between 0 and 1; it was {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        trainContamination.Validators.Add(result =>
        {
            double? value = result.GetValueOrDefault<double?>();
            if (value is not (> 0 and < 1))
            {
                result.AddError($"--contamination must lie strictly between 0 and 1 (0.02 for 2% anomalies); it was {value?.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        trainSeparator.Validators.Add(ValidateSeparator);
        scoreSeparator.Validators.Add(ValidateSeparator);
        trainColumns.Validators.Add(ValidateColumns);
        scoreColumns.Validators.Add(ValidateColumns);

        // Help, version and parse errors are System.CommandLine's own actions; these run only on a clean parse.
        Root.SetAction(parsed => Run(console, Settings(parsed)));
        Train.SetAction(parsed => Run(console, Settings(parsed)));
        Score.SetAction(parsed => Run(console, Settings(parsed)));
    }

    public RootCommand Root { get; }

    public Command Train { get; }

    public Command Score { get; }

    public ParseResult Parse(params string[] args) => Root.Parse(args);

    /// <summary>The settings of the command that <paramref name="result"/> chose; call only when it has no errors.</summary>
    public object Settings(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException("The command line has errors: " + result.Errors[0].Message, nameof(result));
        }

        Command command = result.CommandResult.Command;
        if (command == Train)
        {
            return new TrainSettings(
                result.GetValue(trainCsv)!,
                Columns(result.GetValue(trainColumns)),
                result.GetValue(trainHeader),
                result.GetValue(trainEpochs),
                result.GetValue(trainBatchSize),
                result.GetValue(trainLearningRate),
                result.GetValue(trainSeed),
                result.GetValue(trainValidation),
                result.GetValue(trainQuantile),
                result.GetValue(trainOutput)!,
                result.GetValue(trainContamination),
                Separator(result.GetValue(trainSeparator)!));
        }

        if (command == Score)
        {
            return new ScoreSettings(
                result.GetValue(scoreModel)!,
                result.GetValue(scoreCsv)!,
                Columns(result.GetValue(scoreColumns)),
                result.GetValue(scoreHeader),
                result.GetValue(scoreThreshold),
                result.GetValue(scoreOutput)!,
                Separator(result.GetValue(scoreSeparator)!));
        }

        return new DigitsDemoSettings(result.GetValue(demoOutput)!, result.GetValue(demoEpochs), result.GetValue(demoData)!);
    }

    /// <summary>Runs the command <paramref name="result"/> chose, reporting unusable input as a message, not a stack trace.</summary>
    public static int Run(IAnsiConsole console, object settings)
    {
        try
        {
            return settings switch
            {
                DigitsDemoSettings demo => Success(DigitsDemo.Run(console, demo)),
                TrainSettings train => TrainCommand.Run(console, train),
                ScoreSettings score => ScoreCommand.Run(console, score),
                _ => throw new ArgumentException($"Unknown settings {settings.GetType().Name}.", nameof(settings)),
            };
        }
        catch (Exception exception) when (exception is CsvDataException or CheckpointException or IOException or UnauthorizedAccessException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(exception.Message)}");
            string? hint = exception switch
            {
                CsvDataException { Fix: CsvFix.SetHasHeader } => "add --header if the first line names the columns",
                CsvDataException { Fix: CsvFix.SetSeparator, SuggestedSeparator: char separator } =>
                    $"add --separator {(separator == '\t' ? "tab" : separator == ';' ? "';'" : separator.ToString())}",
                _ => null,
            };
            if (hint is not null)
            {
                console.MarkupLine($"[yellow]hint:[/] {Markup.Escape(hint)}");
            }

            return ExitCodes.BadInput;
        }
    }

    private static int Success(DigitsDemoResult _) => ExitCodes.Success;

    private static int[]? Columns(string? text) => text is null ? null : ColumnList.TryParse(text, out int[] columns, out _) ? columns : null;

    private static void ValidateColumns(OptionResult result)
    {
        string? text = result.GetValueOrDefault<string?>();
        if (text is not null && !ColumnList.TryParse(text, out _, out string error))
        {
            result.AddError(error);
        }
    }

    private static void RequirePositive(OptionResult result, string name)
    {
        double value = result.GetValueOrDefault<double>();
        if (!(value > 0) || double.IsInfinity(value))
        {
            result.AddError($"{name} must be a positive number; it was {value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static Option<string> OutputFolderOption() =>
        new("--output", "-o") { Description = "Folder for every file written (created if missing).", DefaultValueFactory = _ => DefaultOutputFolder };

    private static Option<string?> ColumnsOption() =>
        new("--columns") { Description = "Zero-based columns to use, such as 0-63 or 1,3,5-9; default: every column." };

    private static Option<bool> HeaderOption() =>
        new("--header") { Description = "The first line holds column names." };

    private static Option<string> SeparatorOption() =>
        new("--separator") { Description = "The character between values: one character, or tab.", DefaultValueFactory = _ => "," };

    /// <summary>The separator an option's text names: "tab" (or a tab) or one character.</summary>
    private static char Separator(string text) => text is "tab" or "\\t" ? '\t' : text[0];

    private static void ValidateSeparator(OptionResult result)
    {
        string? text = result.GetValueOrDefault<string>();
        if (text is not ("tab" or "\\t") && text?.Length != 1)
        {
            result.AddError($"--separator must be one character or tab; it was '{text}'.");
        }
    }

    private static Option<int> PositiveOption(string name, int defaultValue, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value <= 0)
            {
                result.AddError($"{name} must be a positive whole number; it was {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        return option;
    }
}
