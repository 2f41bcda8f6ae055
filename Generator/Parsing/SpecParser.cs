using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using AeGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AeGen.Generator.Parsing;

/// <summary>
/// Turns a class carrying <c>[Autoencoder(n, k)]</c> into an <see cref="AutoencoderSpec"/>, or into nothing when
/// the declaration cannot be generated for (the analyzers report why). Reads symbols defensively: the code it
/// sees may be half-typed.
/// </summary>
internal static class SpecParser
{
    public const string AttributeMetadataName = "AeGen.AutoencoderAttribute";

    public static AutoencoderSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || type.TypeKind != TypeKind.Class || type.IsStatic || type.Name.Length == 0)
        {
            return null;
        }

        // One attribute on one declaration; a duplicated attribute is a compile error of its own (CS0579).
        if (context.Attributes.Length != 1 || CountAutoencoderAttributes(type) != 1)
        {
            return null;
        }

        if (!TryReadShape(context.Attributes[0], out int inputs, out int hidden, out NumericType numericType))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var declarations = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (!IsPartialEverywhere(current, cancellationToken))
            {
                return null;
            }

            string? header = DeclarationHeader(current);
            if (header is null)
            {
                return null;
            }

            declarations.Add(header);
        }

        // A member the generator would write already exists: the generated file would not compile (AEG005).
        if (GeneratedMembers.Conflicts(type, static _ => false).Any())
        {
            return null;
        }

        declarations.Reverse();
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing
            ? containing.ToDisplayString(NamespaceFormat)
            : string.Empty;

        return new AutoencoderSpec(
            ns,
            new EquatableArray<string>(declarations.ToImmutableArray()),
            Escape(type.Name),
            HintName(type),
            inputs,
            hidden,
            numericType);
    }

    /// <summary>Reads n, k and the precision; false unless n and k are constants within the supported range.</summary>
    public static bool TryReadShape(AttributeData attribute, out int inputs, out int hidden, out NumericType numericType)
    {
        inputs = 0;
        hidden = 0;
        numericType = NumericType.Single;
        ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        if (arguments.Length != 2 || arguments[0].Value is not int n || arguments[1].Value is not int k)
        {
            return false;
        }

        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Precision")
            {
                if (named.Value.Value is not int precision || (precision != (int)NumericType.Single && precision != (int)NumericType.Double))
                {
                    return false;
                }

                numericType = (NumericType)precision;
            }
        }

        inputs = n;
        hidden = k;
        return n is >= 1 and <= ShapeLimits.MaxInputs && k is >= 1 and <= ShapeLimits.MaxHidden;
    }

    private static int CountAutoencoderAttributes(INamedTypeSymbol type) =>
        type.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == AttributeMetadataName);

    private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration
                || declaration.Identifier.IsMissing
                || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The part of a type's declaration after <c>partial</c>, such as <c>record struct Outer&lt;T&gt;</c>.</summary>
    private static string? DeclarationHeader(INamedTypeSymbol type)
    {
        string? keyword = (type.TypeKind, type.IsRecord) switch
        {
            (TypeKind.Class, false) => "class",
            (TypeKind.Class, true) => "record",
            (TypeKind.Struct, false) => "struct",
            (TypeKind.Struct, true) => "record struct",
            (TypeKind.Interface, _) => "interface",
            _ => null,
        };
        if (keyword is null)
        {
            return null;
        }

        var header = new StringBuilder(keyword).Append(' ').Append(Escape(type.Name));
        if (type.TypeParameters.Length > 0)
        {
            header.Append('<').Append(string.Join(", ", type.TypeParameters.Select(p => Escape(p.Name)))).Append('>');
        }

        return header.ToString();
    }

    private static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

    /// <summary>A file name for the class: its full metadata name with characters outside identifiers replaced.</summary>
    private static string HintName(INamedTypeSymbol type)
    {
        var name = new StringBuilder();
        var parts = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            parts.Add(current.Arity > 0 ? current.Name + "-" + current.Arity : current.Name);
        }

        parts.Reverse();
        if (type.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            name.Append(ns.ToDisplayString()).Append('.');
        }

        name.Append(string.Join("+", parts));
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (!char.IsLetterOrDigit(c) && c != '.' && c != '_' && c != '-' && c != '+')
            {
                name[i] = '_';
            }
        }

        return name.Append(".g.cs").ToString();
    }

    private static readonly SymbolDisplayFormat NamespaceFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);
}
