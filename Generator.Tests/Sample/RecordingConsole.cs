using System.IO;
using Spectre.Console;

namespace AeGen.Tests.Sample;

/// <summary>A Spectre.Console console that writes plain, unwrapped text into a string, for checking what a command said.</summary>
internal sealed class RecordingConsole
{
    private readonly StringWriter writer = new();

    public RecordingConsole()
    {
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        // Messages are checked as whole sentences, so they must not wrap at 80 columns.
        Console.Profile.Width = 10_000;
    }

    public IAnsiConsole Console { get; }

    public string Text => writer.ToString();
}
