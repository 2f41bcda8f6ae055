using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using AeGen.Generator.Diagnostics;
using AeGen.Generator.Model;
using AeGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
        if (attribute is null || type.TypeKind != TypeKind.Class)
        {
            return;
        }

        Location where = type.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
        string name = type.Name;

        if (type.IsStatic)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StaticClass, where, name));
        }

        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax declaration
                && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial, declaration.Identifier.GetLocation(), name));
            }
        }

        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            bool partial = container.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax(context.CancellationToken) is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ContainerNotPartial, where, name, container.Name));
            }
        }

        AnalyzeShape(context, attribute, name);

        foreach (ISymbol member in GeneratedMembers.Conflicts(type, IsGenerated))
        {
            string memberName = member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                ? constructor.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)
                : member.Name;
            Location at = member.Locations.FirstOrDefault(l => l.IsInSource) ?? where;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MemberConflict, at, name, memberName));
        }
    }

    private static void AnalyzeShape(SymbolAnalysisContext context, AttributeData attribute, string name)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax;
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = syntax?.ArgumentList?.Arguments ?? default;
        AttributeArgumentSyntax[] positional = arguments.Where(a => a.NameEquals is null).ToArray();
        ImmutableArray<TypedConstant> values = attribute.ConstructorArguments;

        int? n = ReadDimension(context, "n (inputs)", 0, ShapeLimits.MaxInputs, values, positional, name);
        int? k = ReadDimension(context, "k (hidden)", 1, ShapeLimits.MaxHidden, values, positional, name);

        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "Precision" && named.Value.Value is int precision
                && precision != (int)NumericType.Single && precision != (int)NumericType.Double)
            {
                Location at = arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Precision")?.GetLocation()
                    ?? syntax?.GetLocation() ?? Location.None;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidPrecision, at, name, precision.ToString(CultureInfo.InvariantCulture)));
            }
        }

        if (n is int inputs && k is int hidden && hidden >= inputs)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.NoCompression,
                syntax?.GetLocation() ?? Location.None,
                name,
                hidden.ToString(CultureInfo.InvariantCulture),
                inputs.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The valid value of one dimension, or null after reporting AEG002 (or when the compiler already reports a missing argument).</summary>
    private static int? ReadDimension(
        SymbolAnalysisContext context,
        string label,
        int index,
        int limit,
        ImmutableArray<TypedConstant> values,
        AttributeArgumentSyntax[] positional,
        string name)
    {
        if (index >= positional.Length)
        {
            return null; // a missing argument is the compiler's error (CS7036)
        }

        Location at = positional[index].GetLocation();
        string found;
        if (values.Length == 2 && values[index].Kind == TypedConstantKind.Primitive && values[index].Value is int value)
        {
            if (value >= 1 && value <= limit)
            {
                return value;
            }

            found = value.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            found = "'" + positional[index].Expression.ToString() + "', which is not a constant int";
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.InvalidShape, at, label, name, limit.ToString(CultureInfo.InvariantCulture), found));
        return null;
    }

    /// <summary>True for a member the generator itself wrote (the analyzers see generated trees in the compilation).</summary>
    private static bool IsGenerated(ISymbol member) =>
        member.Locations.Any(l => l.SourceTree?.FilePath.Contains(typeof(AutoencoderGenerator).FullName) == true);
}
