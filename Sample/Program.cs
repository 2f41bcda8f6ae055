using AeGen.Sample.Commands;
using Spectre.Console;

namespace AeGen.Sample;

/// <summary>Entry point: parse the command line and run the chosen command on the terminal.</summary>
internal static class Program
{
    private static int Main(string[] args) => new SampleCommandLine(AnsiConsole.Console).Parse(args).Invoke();
}
