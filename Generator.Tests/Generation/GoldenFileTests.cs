using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace AeGen.Tests.Generation;

/// <summary>
/// The generated source for one unrolled and one tiled shape, compared with files under Golden/. After an intended
/// change to the emitter, run the tests once with AEGEN_ACCEPT_GOLDEN=1 to rewrite the files, then review the diff.
/// </summary>
public class GoldenFileTests
{
    [Theory]
    [InlineData("Unrolled2x2", "[Autoencoder(2, 2)]")]
    [InlineData("Dense64x16", "[Autoencoder(64, 16)]")]
    [InlineData("Dense20x3Double", "[Autoencoder(20, 3, Precision = Precision.Double)]")]
    public void Generated_source_matches_the_golden_file(string name, string attribute)
    {
        string source = $"using AeGen;\n\nnamespace Demo;\n\n{attribute}\npublic partial class Model;\n";
        var (run, errors) = GeneratorHarness.Generate(source);
        Assert.Empty(errors);
        string generated = run.GeneratedSources.Single().SourceText.ToString();

        string path = Path.Combine(GoldenDirectory(), name + ".g.cs");
        if (Environment.GetEnvironmentVariable("AEGEN_ACCEPT_GOLDEN") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"No golden file {path}: run the tests with AEGEN_ACCEPT_GOLDEN=1 to create it.");
        string expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, generated);
    }

    private static string GoldenDirectory([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here))!, "Golden");
}
