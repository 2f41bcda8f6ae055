using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AeGen.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AeGen.Benchmarks;

/// <summary>The generator itself: a full run over a one-model compilation, as a build or an IDE edit would do it.</summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;

    [Params("64, 16", "1024, 256", "8, 3")]
    public string Shape { get; set; } = "64, 16";

    [GlobalSetup]
    public void Setup()
    {
        string source = $"using AeGen;\nnamespace Demo;\n[Autoencoder({Shape})]\npublic partial class Model;\n";
        _compilation = CSharpCompilation.Create(
            "Bench",
            [CSharpSyntaxTree.ParseText(source)],
            PlatformReferences().Append(MetadataReference.CreateFromFile(typeof(AutoencoderAttribute).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        if (RunGeneratorsAndUpdateCompilation() != 2)
        {
            throw new InvalidOperationException($"The generator produced no source for [Autoencoder({Shape})].");
        }
    }

    private static IEnumerable<MetadataReference> PlatformReferences() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) == "netstandard.dll")
            .Select(path => MetadataReference.CreateFromFile(path));

    [Benchmark]
    public int RunGeneratorsAndUpdateCompilation()
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new AutoencoderGenerator());
        driver.RunGeneratorsAndUpdateCompilation(_compilation, out Compilation output, out _);
        return output.SyntaxTrees.Count();
    }
}
