using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AeGen.Generator.Analyzers;
using AeGen.Tests.Generation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AeGen.Tests.Analyzers;

/// <summary>
/// The parser and the declaration analyzer apply one set of rules: the generator writes a class exactly when the
/// analyzer reports no error for it, unless the compiler itself already reports one (a missing argument, half-typed
/// code), where neither writes nor reports anything of its own.
/// </summary>
public class DeclarationRulesTests
{
    [Theory]
    [InlineData("[Autoencoder(8, 3)] public partial class Model;")]
    [InlineData("[Autoencoder(8, 8)] public partial class Model;")]                              // AEG006 is a warning: generated
    [InlineData("[Autoencoder(2, 2, Precision = Precision.Double)] public partial class Model;")]
    [InlineData("public partial class Outer { [Autoencoder(8, 3)] public partial class Model; }")]
    [InlineData("[Autoencoder(8, 3)] public class Model;")]                                      // AEG001
    [InlineData("[Autoencoder(8, 3)] public partial class Model; public class Model { }")]       // AEG001 on one declaration (and CS0260)
    [InlineData("[Autoencoder(0, 3)] public partial class Model;")]                              // AEG002
    [InlineData("[Autoencoder(8, 5000)] public partial class Model;")]                           // AEG002
    [InlineData("[Autoencoder(8, N)] public partial class Model { static int N = 3; }")]         // AEG002 and CS0182
    [InlineData("[Autoencoder(8, 3)] public static partial class Model;")]                       // AEG003
    [InlineData("public class Outer { [Autoencoder(8, 3)] public partial class Model; }")]       // AEG004
    [InlineData("[Autoencoder(8, 3)] public partial class Model { public void Forward() { } }")] // AEG005
    [InlineData("[Autoencoder(8, 3)] public partial class Model { public Model() { } }")]        // AEG005
    [InlineData("[Autoencoder(8, 3, Precision = (Precision)7)] public partial class Model;")]    // AEG007
    [InlineData("[Autoencoder(8)] public partial class Model;")]                                 // CS7036 only
    [InlineData("[Autoencoder(8, 3)] public partial class")]                                     // half-typed
    [InlineData("[Autoencoder(8, 3)] [Autoencoder(8, 3)] public partial class Model;")]          // CS0579 only
    [InlineData("[Autoencoder(8, 3)] public partial struct Model;")]                             // CS0592 only
    public async Task The_generator_writes_a_class_exactly_when_the_analyzer_finds_no_error(string declaration)
    {
        string source = "using AeGen;\nnamespace Demo;\n" + declaration + "\n";
        Compilation input = GeneratorHarness.Compilation(source);
        GeneratorDriver driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        bool generated = driver.GetRunResult().Results.Single().GeneratedSources.Length > 0;

        ImmutableArray<Diagnostic> reported = await output
            .WithAnalyzers([new DeclarationAnalyzer()])
            .GetAnalyzerDiagnosticsAsync();
        string[] ruleErrors = [.. reported.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id)];
        string[] compilerErrors = [.. input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id)];

        if (generated)
        {
            Assert.True(ruleErrors.Length == 0, $"Generated, yet the analyzer reports {string.Join(", ", ruleErrors)}.");
        }
        else
        {
            Assert.True(ruleErrors.Length > 0 || compilerErrors.Length > 0, "Nothing generated, and neither the analyzer nor the compiler says why.");
        }
    }
}
