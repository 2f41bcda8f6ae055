using System.Linq;
using AeGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AeGen.Tests.Generation;

/// <summary>The pipeline carries only an equatable spec, so edits that do not change it leave the output cached.</summary>
public class IncrementalityTests
{
    private const string Model = "using AeGen;\nnamespace Demo;\n[Autoencoder(8, 3)]\npublic partial class Model;\n";
    private const string Other = "namespace Demo;\npublic class Other { public int Value => 1; }\n";

    [Fact]
    public void An_unrelated_edit_leaves_the_spec_and_the_source_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Model, Other);
        GeneratorDriver driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);

        SyntaxTree other = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            other, CSharpSyntaxTree.ParseText(Other.Replace("1;", "2;"), GeneratorHarness.ParseOptions, other.FilePath));
        GeneratorRunResult run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(run.TrackedSteps[AutoencoderGenerator.SpecStep].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_the_model_file_without_changing_the_shape_leaves_the_spec_unchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Model, Other);
        GeneratorDriver driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);

        SyntaxTree model = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            model, CSharpSyntaxTree.ParseText(Model + "// a comment\n", GeneratorHarness.ParseOptions, model.FilePath));
        GeneratorRunResult run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(run.TrackedSteps[AutoencoderGenerator.SpecStep].SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached }));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Theory]
    [InlineData("[Autoencoder(9, 3)]")]
    [InlineData("[Autoencoder(8, 4)]")]
    [InlineData("[Autoencoder(8, 3, Precision = Precision.Double)]")]
    public void Changing_n_k_or_precision_regenerates(string attribute)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Model, Other);
        GeneratorDriver driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        string before = driver.GetRunResult().Results.Single().GeneratedSources.Single().SourceText.ToString();

        SyntaxTree model = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            model, CSharpSyntaxTree.ParseText(Model.Replace("[Autoencoder(8, 3)]", attribute), GeneratorHarness.ParseOptions, model.FilePath));
        GeneratorRunResult run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(run.TrackedSteps[AutoencoderGenerator.SpecStep].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.NotEqual(before, run.GeneratedSources.Single().SourceText.ToString());
    }
}
