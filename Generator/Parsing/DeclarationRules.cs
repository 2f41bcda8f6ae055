using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using AeGen.Generator.Diagnostics;
using AeGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AeGen.Generator.Parsing;

/// <summary>
/// One thing wrong with an <c>[Autoencoder(n, k)]</c> declaration. <see cref="Descriptor"/> is null where the compiler
/// reports the mistake itself (a missing argument, a duplicated attribute, half-typed code): the generator still skips
/// the class, and the analyzer has nothing to add.
/// </summary>
internal sealed class DeclarationProblem(DiagnosticDescriptor? descriptor, Func<Location> location, params string[] arguments)
{
    public DiagnosticDescriptor? Descriptor { get; } = descriptor;

    /// <summary>True when the generator cannot write the class; false for a warning such as AEG006.</summary>
    public bool StopsGeneration => Descriptor is null || Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    /// <summary>The diagnostic for the analyzer to report; only for a problem with a descriptor.</summary>
    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor!, location(), arguments);
}

/// <summary>
/// The rules a declaration must follow for the generator to write it: a class, not static, partial in every
/// declaration and every containing type, one attribute whose n and k are constants in range and whose precision is
/// known, no member the generator writes. Written once: the parser skips a class when any rule that stops generation
/// fails, and the declaration analyzer reports each failure. Problems are produced lazily, so the parser stops at the
/// first and builds no location for a class that is fine.
/// </summary>
internal static class DeclarationRules
{
    /// <summary>The problems of <paramref name="type"/>, which carries <paramref name="attribute"/>, in a fixed order.</summary>
    /// <param name="isGenerated">True for a member the generator itself wrote (the analyzers see generated trees).</param>
    public static IEnumerable<DeclarationProblem> Check(
        INamedTypeSymbol type, AttributeData attribute, Func<ISymbol, bool> isGenerated, CancellationToken cancellationToken)
    {
        if (type.TypeKind != TypeKind.Class || type.Name.Length == 0 || type.DeclaringSyntaxReferences.IsEmpty)
        {
            yield return Silent; // the attribute is for classes only (CS0592), or the declaration is half-typed
            yield break;
        }

        string name = type.Name;
        Location Where() => type.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;

        if (CountAttributes(type, attribute) != 1)
        {
            yield return Silent; // the compiler reports the duplicate (CS0579)
        }

        if (type.IsStatic)
        {
            yield return new DeclarationProblem(DiagnosticDescriptors.StaticClass, Where, name);
        }

        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration || declaration.Identifier.IsMissing)
            {
                yield return Silent;
            }
            else if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                yield return new DeclarationProblem(DiagnosticDescriptors.NotPartial, () => declaration.Identifier.GetLocation(), name);
            }
        }

        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            if (!IsPartialEverywhere(container, cancellationToken))
            {
                string containerName = container.Name;
                yield return new DeclarationProblem(DiagnosticDescriptors.ContainerNotPartial, Where, name, containerName);
            }
        }

        foreach (DeclarationProblem problem in ShapeProblems(attribute, name, cancellationToken))
        {
            yield return problem;
        }

        foreach (ISymbol member in GeneratedMembers.Conflicts(type, isGenerated))
        {
            string memberName = member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                ? constructor.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)
                : member.Name;
            yield return new DeclarationProblem(
                DiagnosticDescriptors.MemberConflict, () => member.Locations.FirstOrDefault(l => l.IsInSource) ?? Where(), name, memberName);
        }
    }

    /// <summary>
    /// Reads n, k and the precision: false unless n and k are constants from 1 to their limits and the precision is
    /// Single or Double. The call-site analyzer reads shapes of models this way too.
    /// </summary>
    public static bool TryReadShape(AttributeData attribute, out int inputs, out int hidden, out NumericType numericType)
    {
        inputs = 0;
        hidden = 0;
        numericType = NumericType.Single;
        ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        if (arguments.Length != 2 || Dimension(arguments[0], ShapeLimits.MaxInputs) is not int n || Dimension(arguments[1], ShapeLimits.MaxHidden) is not int k)
        {
            return false;
        }

        int? precision = Precision(attribute);
        if (HasUnreadablePrecision(attribute) || (precision is int value && !IsKnownPrecision(value)))
        {
            return false;
        }

        inputs = n;
        hidden = k;
        numericType = precision is int known ? (NumericType)known : NumericType.Single;
        return true;
    }

    private static readonly DeclarationProblem Silent = new(null, () => Location.None);

    private static IEnumerable<DeclarationProblem> ShapeProblems(AttributeData attribute, string name, CancellationToken cancellationToken)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = syntax?.ArgumentList?.Arguments ?? default;
        AttributeArgumentSyntax[] positional = [.. arguments.Where(a => a.NameEquals is null)];
        ImmutableArray<TypedConstant> values = attribute.ConstructorArguments;
        Location AttributeLocation() => syntax?.GetLocation() ?? Location.None;

        int? n = null, k = null;
        var dimensions = new (string Label, int Limit)[] { ("n (inputs)", ShapeLimits.MaxInputs), ("k (hidden)", ShapeLimits.MaxHidden) };
        for (int index = 0; index < dimensions.Length; index++)
        {
            if (index >= positional.Length)
            {
                yield return Silent; // a missing argument is the compiler's error (CS7036)
                continue;
            }

            (string label, int limit) = dimensions[index];
            int? value = values.Length == 2 ? Dimension(values[index], limit) : null;
            if (value is null)
            {
                AttributeArgumentSyntax argument = positional[index];
                string found = values.Length == 2 && values[index].Kind == TypedConstantKind.Primitive && values[index].Value is int outOfRange
                    ? outOfRange.ToString(CultureInfo.InvariantCulture)
                    : "'" + argument.Expression + "', which is not a constant int";
                yield return new DeclarationProblem(
                    DiagnosticDescriptors.InvalidShape, () => argument.GetLocation(), label, name, limit.ToString(CultureInfo.InvariantCulture), found);
            }
            else if (index == 0)
            {
                n = value;
            }
            else
            {
                k = value;
            }
        }

        if (HasUnreadablePrecision(attribute))
        {
            yield return Silent; // not a constant: the compiler's error (CS0182)
        }
        else if (Precision(attribute) is int precision && !IsKnownPrecision(precision))
        {
            AttributeArgumentSyntax? named = arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Precision");
            yield return new DeclarationProblem(
                DiagnosticDescriptors.InvalidPrecision, () => named?.GetLocation() ?? AttributeLocation(), name, precision.ToString(CultureInfo.InvariantCulture));
        }

        if (n is int inputs && k is int hidden && hidden >= inputs)
        {
            yield return new DeclarationProblem(
                DiagnosticDescriptors.NoCompression, AttributeLocation, name, hidden.ToString(CultureInfo.InvariantCulture), inputs.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The value of a dimension if it is a constant int from 1 to <paramref name="limit"/>.</summary>
    private static int? Dimension(TypedConstant constant, int limit) =>
        constant.Kind == TypedConstantKind.Primitive && constant.Value is int value && value >= 1 && value <= limit ? value : null;

    /// <summary>The Precision named argument's value, if it is given as an int-valued constant.</summary>
    private static int? Precision(AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Precision" && named.Value.Value is int precision)
            {
                return precision;
            }
        }

        return null;
    }

    private static bool HasUnreadablePrecision(AttributeData attribute) =>
        attribute.NamedArguments.Any(named => named.Key == "Precision" && named.Value.Value is not int);

    private static bool IsKnownPrecision(int precision) => precision == (int)NumericType.Single || precision == (int)NumericType.Double;

    private static int CountAttributes(INamedTypeSymbol type, AttributeData attribute) =>
        type.GetAttributes().Count(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute.AttributeClass));

    private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        !type.DeclaringSyntaxReferences.IsEmpty
        && type.DeclaringSyntaxReferences.All(r =>
            r.GetSyntax(cancellationToken) is TypeDeclarationSyntax d && !d.Identifier.IsMissing && d.Modifiers.Any(SyntaxKind.PartialKeyword));
}
