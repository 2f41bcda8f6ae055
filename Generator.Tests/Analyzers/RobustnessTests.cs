using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AeGen.Generator.Analyzers;
using AeGen.Tests.Generation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AeGen.Tests.Analyzers;

/// <summary>
/// Half-typed and broken code must never make the generator (CS8785) or an analyzer (AD0001) throw:
/// thousands of damaged versions of valid sources go through both.
/// </summary>
public class RobustnessTests
{
    private static readonly string[] ValidSources =
    [
        "using AeGen;\nnamespace Demo;\n[Autoencoder(8, 3, Precision = Precision.Double)]\npublic sealed partial class Model\n{\n    public void Train() { }\n}\n",
        "using AeGen;\nnamespace Demo;\npublic partial class Outer<T>\n{\n    [Autoencoder(Size, Size / 2)]\n    internal partial class Model { const int Size = 8; }\n}\n",
        "using System;\nusing AeGen;\n[Autoencoder(4, 2)] partial class Small;\n"
            + "class Use\n{\n    static readonly float[] Row = new float[4];\n"
            + "    static void Run(Small s)\n    {\n        float[] g = new float[Small.ParameterCount];\n"
            + "        s.Backward(Row, g);\n        s.Forward([1f, 2f, 3f, 4f], stackalloc float[4]);\n"
            + "        s.Parameters.CopyTo(new Small(3).Parameters);\n    }\n}\n",
        "using AeGen;\nnamespace Demo.Records;\n[Autoencoder(16, 4)]\npublic partial record Model\n{\n"
            + "    private readonly float[] _row = [1f, 2f];\n    public float Score() => Cost(_row);\n"
            + "    public Model(string name) : this() { }\n}\n",
    ];

    private static readonly string[] AttributeMutations =
    [
        "[Autoencoder]", "[Autoencoder()]", "[Autoencoder(8)]", "[Autoencoder(8,)]", "[Autoencoder(, 3)]",
        "[Autoencoder(N, 3)]", "[Autoencoder(8, \"3\")]", "[Autoencoder(8.5, 3)]", "[Autoencoder(8, 3, 4)]",
        "[Autoencoder(int.MaxValue, int.MinValue)]", "[Autoencoder(8, 3, Precision = (Precision)9)]",
        "[Autoencoder(8, 3, Precision = )]", "[Autoencoder(8, 3, Inputs = 4)]", "[Autoencoder(8, 3)][Autoencoder(8, 3)]",
        "[Autoencoder(typeof(int), 3)]", "[Autoencoder(8, 3",
    ];

    private static readonly DiagnosticAnalyzer[] Analyzers = [new DeclarationAnalyzer(), new CallSiteAnalyzer()];

    [Fact]
    public async Task Broken_sources_never_throw_in_the_generator_or_the_analyzers()
    {
        List<string> variants = Variants().Distinct().ToList();
        Assert.True(variants.Count >= 1000, $"expected at least 1000 broken variants, but built {variants.Count}");

        var failures = new List<string>();
        GeneratorDriver driver = GeneratorHarness.Driver();
        foreach (string source in variants)
        {
            CSharpCompilation compilation = GeneratorHarness.Compilation(source);
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
            Exception? generatorException = driver.GetRunResult().Results.Single().Exception;
            if (generatorException is not null || generatorDiagnostics.Any(d => d.Id == "CS8785"))
            {
                failures.Add($"generator threw {generatorException?.GetType().Name} on:\n{source}");
                continue;
            }

            var analyzerExceptions = new List<Exception>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]),
                onAnalyzerException: (exception, _, _) => analyzerExceptions.Add(exception),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false);
            ImmutableArray<Diagnostic> analyzerDiagnostics = await output
                .WithAnalyzers([.. Analyzers], options)
                .GetAnalyzerDiagnosticsAsync();
            if (analyzerExceptions.Count > 0 || analyzerDiagnostics.Any(d => d.Id == "AD0001"))
            {
                failures.Add($"analyzer threw {analyzerExceptions.FirstOrDefault()?.GetType().Name} on:\n{source}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {variants.Count} variants failed; first:\n{failures.FirstOrDefault()}");
    }

    /// <summary>Every source cut after and inside each token, with each token removed, doubled or replaced, with the attribute rewritten, and duplicated.</summary>
    private static IEnumerable<string> Variants()
    {
        foreach (string source in ValidSources)
        {
            SyntaxToken[] tokens = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot().DescendantTokens().ToArray();
            foreach (SyntaxToken token in tokens)
            {
                yield return source.Substring(0, token.Span.End);
                yield return source.Remove(token.Span.Start, token.Span.Length);
                yield return source.Substring(0, token.Span.Start) + source.Substring(token.Span.Start, token.Span.Length / 2);
                yield return source.Insert(token.Span.Start, token.Text + " ");
                yield return source.Remove(token.Span.Start, token.Span.Length).Insert(token.Span.Start, "0");
                yield return source.Remove(token.Span.Start, token.Span.Length).Insert(token.Span.Start, "{");
            }

            int open = source.IndexOf("[Autoencoder", StringComparison.Ordinal);
            int close = source.IndexOf(']', open) + 1;
            foreach (string attribute in AttributeMutations)
            {
                yield return source.Substring(0, open) + attribute + source.Substring(close);
            }

            yield return source + source;
            yield return source.Replace("partial ", string.Empty, StringComparison.Ordinal);
            yield return source.Replace("{", string.Empty, StringComparison.Ordinal);
            yield return source.Replace("}", string.Empty, StringComparison.Ordinal);
        }
    }
}
