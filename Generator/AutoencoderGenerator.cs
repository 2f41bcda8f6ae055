using AeGen.Generator.Emission;
using AeGen.Generator.Model;
using AeGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AeGen.Generator;

/// <summary>
/// The pipeline: classes carrying <c>[Autoencoder(n, k)]</c> become <see cref="AutoencoderSpec"/> values,
/// and each spec becomes one source file. Only the spec flows between the steps, so an edit that does
/// not change n, k, precision or the class's name and nesting leaves the output cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class AutoencoderGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the step that produces specs (used by incrementality tests).</summary>
    public const string SpecStep = "AutoencoderSpec";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<AutoencoderSpec> specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SpecParser.AttributeMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (context, cancellationToken) => SpecParser.Parse(context, cancellationToken))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(SpecStep);

        context.RegisterSourceOutput(specs, static (output, spec) =>
            output.AddSource(spec.HintName, ModelEmitter.Emit(spec, output.CancellationToken)));
    }
}
