using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using Spectre.Console;

namespace AeGen.Detector;

/// <summary>
/// The detector's commands (System.CommandLine, which needs no reflection): <c>train</c> on a CSV, <c>score</c> its
/// rows or another file's, <c>explain</c> which columns made rows anomalous, <c>hidden</c> to help choose k. Parsing
/// turns arguments into <see cref="TrainSettings"/>, <see cref="ScoreSettings"/>, <see cref="ExplainSettings"/> or
/// <see cref="HiddenSettings"/>; a program adds <see cref="Commands"/> to its root (the digits sample adds its demo
/// beside them).
/// </summary>
internal sealed class DetectorCommandLine
{
    public const string DefaultOutputFolder = "aegen-output";

    /// <summary>
    /// The default threshold's quantile, for training rows known to be normal: 1 normal row in 1,000 crosses it. At 0.99
    /// one in a hundred does, and where a few percent of the rows scored are anomalies that is a false alarm for every
    /// few true ones (README.md has the measurement on tools/Telemetry.cs's data).
    /// </summary>
    public const double DefaultQuantile = 0.999;

    private readonly DetectorModel model;

    private readonly Argument<string> trainCsv = new("csv") { Description = "CSV file of numbers, one sample per row (or a .parquet file)." };
    private readonly Option<string?> trainColumns = ColumnsOption();
    private readonly Option<bool> trainHeader = HeaderOption();
    private readonly Option<string?> trainSeparator = SeparatorOption();
    private readonly Option<int> trainEpochs = PositiveOption("--epochs", 50, "Passes over the training rows.");
    private readonly Option<int> trainBatchSize = PositiveOption("--batch-size", 64, "Rows per optimizer step.");
    private readonly Option<double> trainLearningRate = new("--learning-rate") { Description = "Adam's learning rate.", DefaultValueFactory = _ => 0.01 };
    private readonly Option<int> trainSeed = new("--seed") { Description = "Seed of the shuffle before each epoch.", DefaultValueFactory = _ => 0 };
    private readonly Option<double> trainValidation = new("--validation-fraction") { Description = "Fraction of rows, taken from the end of the file, held out to monitor the validation cost.", DefaultValueFactory = _ => 0.2 };
    private readonly Option<double> trainQuantile = new("--quantile") { Description = "Quantile of the training rows' scores used as the anomaly threshold: about 1 in 1,000 normal rows crosses the default.", DefaultValueFactory = _ => DefaultQuantile };
    private readonly Option<double?> trainContamination = new("--contamination") { Description = "Share of anomalies expected among the training rows (0.02 for 2%): the threshold then flags that share of them, instead of --quantile." };
    private readonly Option<string> trainScaling = new("--scaling") { Description = "How each column is scaled before training: minmax (to [0, 1]), standard (mean 0, deviation 1) or none.", DefaultValueFactory = _ => "minmax" };
    private readonly Option<int?> trainPatience = new("--patience") { Description = "Stop after this many epochs without a better validation cost, keeping the best parameters; default: train every epoch." };
    private readonly Option<string?> trainLabels = new("--labels") { Description = "Labels of the CSV's rows (a column 'anomalous', 1 or 0, one per row in order): labelled anomalies are left out of training, and the threshold is the one with the best F1 on the labels." };
    private readonly Option<string> trainOutput = OutputFolderOption();

    private readonly Argument<string> scoreModel = new("model") { Description = "A model saved by train (.safetensors)." };
    private readonly Argument<string> scoreCsv = new("csv") { Description = "CSV file of rows to score (or a .parquet file)." };
    private readonly Option<string?> scoreColumns = ColumnsOption();
    private readonly Option<bool> scoreHeader = HeaderOption();
    private readonly Option<string?> scoreSeparator = SeparatorOption();
    private readonly Option<double?> scoreThreshold = new("--threshold") { Description = "Scores above this are flagged; default: the threshold.txt that train wrote beside the model." };
    private readonly Option<string> scoreBadRows = new("--bad-rows") { Description = "A line that is not a row of numbers: stop (the default: the error names its line and column, after every score before it is written), skip (left out, its line number reported) or flag (scored +∞, so anomalous, keeping every row's place).", DefaultValueFactory = _ => "stop" };
    private readonly Option<string> scoreOutput = new("--output", "-o") { Description = "File to write: CSV of row, score, anomalous (1 or 0), or with a .parquet name Parquet columns score and anomalous.", DefaultValueFactory = _ => Path.Combine(DefaultOutputFolder, "scores.csv") };

    private readonly Argument<string> explainModel = new("model") { Description = "A model saved by train (.safetensors)." };
    private readonly Argument<string> explainCsv = new("csv") { Description = "CSV file holding the rows to explain." };
    private readonly Option<string?> explainColumns = ColumnsOption();
    private readonly Option<bool> explainHeader = HeaderOption();
    private readonly Option<string?> explainSeparator = SeparatorOption();
    private readonly Option<string?> explainRows = new("--rows") { Description = $"Rows to explain, counting from 0 as score's row column, such as 3,17 or 10-12; default: the {ExplainCommand.DefaultRows} that score highest." };
    private readonly Option<int> explainTop = PositiveOption("--top", 3, "Columns to name per row.");

    private readonly Argument<string> hiddenCsv = new("csv") { Description = "CSV file of normal rows to compare hidden sizes on." };
    private readonly Option<string?> hiddenColumns = ColumnsOption();
    private readonly Option<bool> hiddenHeader = HeaderOption();
    private readonly Option<string?> hiddenSeparator = SeparatorOption();
    private readonly Option<int> hiddenEpochs = PositiveOption("--epochs", 30, "Passes over the training rows, for each size.");
    private readonly Option<double> hiddenValidation = new("--validation-fraction") { Description = "Fraction of rows, taken from the end of the file, that the sizes are compared on.", DefaultValueFactory = _ => 0.2 };
    private readonly Option<string> hiddenScaling = new("--scaling") { Description = "minmax, standard or none, as for train.", DefaultValueFactory = _ => "minmax" };

    /// <param name="model">The compiled model the commands work with.</param>
    public DetectorCommandLine(DetectorModel model)
    {
        this.model = model;
        Train = new Command("train", $"Train the compiled {model.Declaration} on your CSV; saves the model, an anomaly threshold and a cost chart.")
        {
            trainCsv, trainColumns, trainHeader, trainSeparator, trainEpochs, trainBatchSize, trainLearningRate, trainSeed, trainValidation,
            trainQuantile, trainContamination, trainScaling, trainPatience, trainLabels, trainOutput,
        };
        Score = new Command("score", "Score each row of a CSV with a saved model; writes per-row anomaly scores and flags.")
        {
            scoreModel, scoreCsv, scoreColumns, scoreHeader, scoreSeparator, scoreThreshold, scoreBadRows, scoreOutput,
        };
        Explain = new Command("explain", "Name the columns that make rows anomalous: each row's score and its largest reconstruction errors.")
        {
            explainModel, explainCsv, explainColumns, explainHeader, explainSeparator, explainRows, explainTop,
        };
        Hidden = new Command("hidden", "Help choose k: train each of a few hidden sizes on your CSV, compare their validation costs and name the declaration to write.")
        {
            hiddenCsv, hiddenColumns, hiddenHeader, hiddenSeparator, hiddenEpochs, hiddenValidation, hiddenScaling,
        };
        trainLearningRate.Validators.Add(result => RequirePositive(result, trainLearningRate.Name));
        hiddenValidation.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value > 0 && value < 1))
            {
                result.AddError($"--validation-fraction must lie strictly between 0 and 1 here, since the sizes are compared on those rows; it was {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
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
        foreach (Option<string> scaling in new[] { trainScaling, hiddenScaling })
        {
            scaling.Validators.Add(result =>
            {
                if (Scaling(result.GetValueOrDefault<string>()) is null)
                {
                    result.AddError($"--scaling must be minmax, standard or none; it was '{result.GetValueOrDefault<string>()}'.");
                }
            });
        }
        trainPatience.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
            {
                result.AddError($"--patience must be a positive whole number; it was {result.GetValueOrDefault<int?>()}.");
            }
        });
        scoreBadRows.Validators.Add(result =>
        {
            if (BadRows(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError($"--bad-rows must be stop, skip or flag; it was '{result.GetValueOrDefault<string>()}'.");
            }
        });
        foreach (Option<string?> separator in new[] { trainSeparator, scoreSeparator, explainSeparator, hiddenSeparator })
        {
            separator.Validators.Add(ValidateSeparator);
        }

        foreach (Option<string?> columns in new[] { trainColumns, scoreColumns, explainColumns, explainRows, hiddenColumns })
        {
            columns.Validators.Add(ValidateColumns);
        }
    }

    public Command Train { get; }

    public Command Score { get; }

    public Command Explain { get; }

    public Command Hidden { get; }

    /// <summary>Every command, in the order help lists them.</summary>
    public Command[] Commands => [Train, Score, Explain, Hidden];

    /// <summary>The settings of the command <paramref name="result"/> chose, if it is one of these; else null.</summary>
    public object? Settings(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
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
                Separator(result.GetValue(trainSeparator)),
                Scaling(result.GetValue(trainScaling)!) ?? ScalerKind.MinMax,
                result.GetValue(trainPatience),
                result.GetValue(trainLabels));
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
                Separator(result.GetValue(scoreSeparator)),
                BadRows(result.GetValue(scoreBadRows)!) ?? CsvBadRows.Throw);
        }

        if (command == Explain)
        {
            return new ExplainSettings(
                result.GetValue(explainModel)!,
                result.GetValue(explainCsv)!,
                Columns(result.GetValue(explainColumns)),
                result.GetValue(explainHeader),
                Columns(result.GetValue(explainRows)),
                result.GetValue(explainTop),
                Separator(result.GetValue(explainSeparator)));
        }

        if (command == Hidden)
        {
            return new HiddenSettings(
                result.GetValue(hiddenCsv)!,
                Columns(result.GetValue(hiddenColumns)),
                result.GetValue(hiddenHeader),
                result.GetValue(hiddenEpochs),
                result.GetValue(hiddenValidation),
                Scaling(result.GetValue(hiddenScaling)!) ?? ScalerKind.MinMax,
                Separator(result.GetValue(hiddenSeparator)));
        }

        return null;
    }

    /// <summary>Runs a detector command, reporting unusable input as a message, not a stack trace; null if the settings are not a detector command's.</summary>
    public int? Run(IAnsiConsole console, object settings) => settings switch
    {
        TrainSettings train => Guarded(console, () => TrainCommand.Run(console, model, train)),
        ScoreSettings score => Guarded(console, () => ScoreCommand.Run(console, model, score)),
        ExplainSettings explain => Guarded(console, () => ExplainCommand.Run(console, model, explain)),
        HiddenSettings hidden => Guarded(console, () => HiddenCommand.Run(console, model, hidden)),
        _ => null,
    };

    /// <summary>Runs <paramref name="command"/>; input it cannot use becomes a message with the fix, where one is known, and exit code 2.</summary>
    public static int Guarded(IAnsiConsole console, Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception exception) when (exception is CsvDataException or AeGen.Parquet.ParquetDataException or CheckpointException or IOException or UnauthorizedAccessException)
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

    public static Option<string> OutputFolderOption() =>
        new("--output", "-o") { Description = "Folder for every file written (created if missing).", DefaultValueFactory = _ => DefaultOutputFolder };

    public static Option<int> PositiveOption(string name, int defaultValue, string description)
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

    private static ScalerKind? Scaling(string? text) => text?.ToLowerInvariant() switch
    {
        "minmax" => ScalerKind.MinMax,
        "standard" => ScalerKind.Standard,
        "none" => ScalerKind.None,
        _ => null,
    };

    private static CsvBadRows? BadRows(string? text) => text?.ToLowerInvariant() switch
    {
        "stop" => CsvBadRows.Throw,
        "skip" => CsvBadRows.Skip,
        "flag" => CsvBadRows.AsNaN,
        _ => null,
    };

    private static int[]? Columns(string? text) => text is null ? null : ColumnList.TryParse(text, out int[] columns, out _) ? columns : null;

    /// <summary>The separator an option's text names ("tab" or one character); null when none was given, so it is detected.</summary>
    private static char? Separator(string? text) => text is null ? null : text is "tab" or "\\t" ? '\t' : text[0];

    private static void ValidateSeparator(OptionResult result)
    {
        string? text = result.GetValueOrDefault<string?>();
        if (text is not null and not ("tab" or "\\t") && text.Length != 1)
        {
            result.AddError($"--separator must be one character or tab; it was '{text}'.");
        }
    }

    private static void ValidateColumns(OptionResult result)
    {
        string? text = result.GetValueOrDefault<string?>();
        if (text is not null && !ColumnList.TryParse(text, out _, out string error, result.Option.Name))
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

    private static Option<string?> ColumnsOption() =>
        new("--columns") { Description = "Zero-based columns to use, such as 0-63 or 1,3,5-9; default: every column." };

    private static Option<bool> HeaderOption() =>
        new("--header") { Description = "The first line holds column names (detected when line 1 is not numbers and line 2 is)." };

    private static Option<string?> SeparatorOption() =>
        new("--separator") { Description = "The character between values: one character, or tab; detected when not given." };
}
