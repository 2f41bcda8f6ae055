using System.CommandLine;
using AeGen;
using AeGen.Detector;
using Spectre.Console;

// The model, compiled for exactly this shape: n values per row, k hidden units. To read another number of columns,
// change the attribute and rebuild; the commands say so when a file does not fit.
var detector = new DetectorCommandLine(new DetectorModel(() => new AeGenDetectorModel(), "Program.cs"));
var root = new RootCommand($"Anomaly detection with the compiled [Autoencoder({AeGenDetectorModel.Inputs}, {AeGenDetectorModel.Hidden})]: train on rows known to be normal, score new rows, explain what made a row anomalous, compare hidden sizes.");
foreach (Command command in detector.Commands)
{
    root.Subcommands.Add(command);
    command.SetAction(parsed => detector.Run(AnsiConsole.Console, detector.Settings(parsed)!) ?? ExitCodes.BadInput);
}

return root.Parse(args).Invoke();

/// <summary>The network: n inputs squeezed through k hidden units and back.</summary>
[Autoencoder(12 /* inputs */, 4 /* hidden */)]
internal sealed partial class AeGenDetectorModel;
