using System.Collections.Immutable;
using System.Linq;
using AeGen.Generator.Diagnostics;
using AeGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AeGen.Generator.Analyzers;

/// <summary>
/// Reports the mistakes in an <c>[Autoencoder(n, k)]</c> declaration that make the generator skip the class
/// (AEG001 to AEG005, AEG007) and the shape that cannot compress (AEG006).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.InvalidShape,
        DiagnosticDescriptors.StaticClass,
        DiagnosticDescriptors.ContainerNotPartial,
        DiagnosticDescriptors.MemberConflict,
        DiagnosticDescriptors.NoCompression,
        DiagnosticDescriptors.InvalidPrecision);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            INamedTypeSymbol? attribute = start.Compilation.GetTypeByMetadataName(SpecParser.AttributeMetadataName);
            if (attribute is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbol => Analyze(symbol, attribute), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        AttributeData? attribute = type.GetAttributes()
            .FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
        if (attribute is null)
        {
            return;
        }

        // The same rules the generator's parser applies; here every broken one is reported.
        foreach (DeclarationProblem problem in DeclarationRules.Check(type, attribute, IsGenerated, context.CancellationToken))
        {
            if (problem.Descriptor is not null)
            {
                context.ReportDiagnostic(problem.ToDiagnostic());
            }
        }
    }

    /// <summary>True for a member the generator itself wrote (the analyzers see generated trees in the compilation).</summary>
    private static bool IsGenerated(ISymbol member) =>
        member.Locations.Any(l => l.SourceTree?.FilePath.Contains(typeof(AutoencoderGenerator).FullName) == true);
}
