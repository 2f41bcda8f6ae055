using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using AeGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AeGen.Generator.Parsing;

/// <summary>
/// Turns a class carrying <c>[Autoencoder(n, k)]</c> into an <see cref="AutoencoderSpec"/>, or into nothing when
/// the declaration breaks one of the <see cref="DeclarationRules"/> (the declaration analyzer reports which). Reads
/// symbols defensively: the code it sees may be half-typed.
/// </summary>
internal static class SpecParser
{
    public const string AttributeMetadataName = "AeGen.AutoencoderAttribute";

    public static AutoencoderSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.Length != 1)
        {
            return null;
        }

        // The rules the declaration analyzer reports; any that stops generation means no source for this class.
        AttributeData attribute = context.Attributes[0];
        if (DeclarationRules.Check(type, attribute, static _ => false, cancellationToken).Any(p => p.StopsGeneration)
            || !DeclarationRules.TryReadShape(attribute, out int inputs, out int hidden, out NumericType numericType))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var declarations = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            string? header = DeclarationHeader(current);
            if (header is null)
            {
                return null;
            }

            declarations.Add(header);
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
