using System;
using System.CommandLine;
using AeGen.Detector;
using AeGen.Sample.Data;
using AeGen.Sample.Models;
using Spectre.Console;

namespace AeGen.Sample.Commands;

/// <summary>
/// The sample's command line: with no command it runs the digits demo; <c>train</c>, <c>score</c>, <c>explain</c>
/// and <c>hidden</c> are the detector's commands (the same code the <c>aegen-detector</c> template gives a new project) for the compiled
/// 64×16 <see cref="DigitsAutoencoder"/>. Parsing turns arguments into <see cref="DigitsDemoSettings"/> or one of the
/// detector's settings.
/// </summary>
internal sealed class SampleCommandLine
{
    public const string DefaultOutputFolder = DetectorCommandLine.DefaultOutputFolder;

    private readonly DetectorCommandLine detector = new(new DetectorModel(() => new DigitsAutoencoder(), "Sample/Models/DigitsAutoencoder.cs"));
    private readonly Option<string> demoOutput = DetectorCommandLine.OutputFolderOption();
    private readonly Option<int> demoEpochs = DetectorCommandLine.PositiveOption("--epochs", 50, "Training epochs of each model.");
    private readonly Option<string> demoData = new("--data") { Description = "The digits CSV (64 pixels 0..16 and a label per row).", DefaultValueFactory = _ => DigitsData.DefaultPath };

    /// <param name="console">Where the commands write when invoked.</param>
    public SampleCommandLine(IAnsiConsole console)
    {
        Root = new RootCommand("AeGen sample. Without a command: train autoencoders on handwritten digits, detect corrupted digits, save the model and draw pictures.")
        {
            demoOutput, demoEpochs, demoData,
        };
        foreach (Command command in detector.Commands)
        {
            Root.Subcommands.Add(command);
        }

        // Help, version and parse errors are System.CommandLine's own actions; these run only on a clean parse.
        Command[] commands = [Root, .. detector.Commands];
        foreach (Command command in commands)
        {
            command.SetAction(parsed => Run(console, Settings(parsed)));
        }
    }

    public RootCommand Root { get; }

    public Command Train => detector.Train;

    public Command Score => detector.Score;

    public Command Explain => detector.Explain;

    public ParseResult Parse(params string[] args) => Root.Parse(args);

    /// <summary>The settings of the command that <paramref name="result"/> chose; call only when it has no errors.</summary>
    public object Settings(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException("The command line has errors: " + result.Errors[0].Message, nameof(result));
        }

        return detector.Settings(result)
            ?? new DigitsDemoSettings(result.GetValue(demoOutput)!, result.GetValue(demoEpochs), result.GetValue(demoData)!);
    }

    /// <summary>Runs the command whose settings these are, reporting unusable input as a message, not a stack trace.</summary>
    public int Run(IAnsiConsole console, object settings) =>
        detector.Run(console, settings)
        ?? settings switch
        {
            DigitsDemoSettings demo => DetectorCommandLine.Guarded(console, () => { DigitsDemo.Run(console, demo); return ExitCodes.Success; }),
            _ => throw new ArgumentException($"Unknown settings {settings.GetType().Name}.", nameof(settings)),
        };
}
