using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AeGen.Generator.Analyzers;

/// <summary>
/// The length of a buffer when the compiler can know it: arrays created with a constant size or an initializer,
/// collection expressions without spreads, <c>stackalloc</c> of a constant size, and locals or <c>readonly</c>
/// fields initialized so and never assigned again. Anything else is unknown, so the analyzers stay silent.
/// </summary>
internal static class KnownLength
{
    private const int MaxDepth = 4;

    public static int? Of(IOperation? operation, CancellationToken cancellationToken) => Of(operation, 0, cancellationToken);

    /// <summary>Strips the implicit conversions (array to span, span to read-only span) around a value.</summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static int? Of(IOperation? operation, int depth, CancellationToken cancellationToken)
    {
        operation = Unwrap(operation);
        if (operation is null || depth > MaxDepth)
        {
            return null;
        }

        switch (operation)
        {
            case IArrayCreationOperation { DimensionSizes.Length: 1 } array:
                return array.Initializer is { } initializer
                    ? initializer.ElementValues.Length
                    : array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int size } ? size : null;

            case ICollectionExpressionOperation collection:
                return collection.Elements.Any(e => e is ISpreadOperation) ? null : collection.Elements.Length;

            case ILocalReferenceOperation local:
                return OfLocal(local, depth, cancellationToken);

            case IFieldReferenceOperation field:
                return OfReadOnlyField(field, depth, cancellationToken);
        }

        return OfStackAlloc(operation);
    }

    private static int? OfStackAlloc(IOperation operation)
    {
        switch (operation.Syntax)
        {
            case StackAllocArrayCreationExpressionSyntax stackAlloc:
                if (stackAlloc.Initializer is { } initializer)
                {
                    return initializer.Expressions.Count;
                }

                if (stackAlloc.Type is ArrayTypeSyntax { RankSpecifiers.Count: 1 } arrayType
                    && arrayType.RankSpecifiers[0].Sizes.Count == 1
                    && operation.SemanticModel is { } model)
                {
                    return model.GetConstantValue(arrayType.RankSpecifiers[0].Sizes[0]) is { HasValue: true, Value: int length } ? length : null;
                }

                return null;

            case ImplicitStackAllocArrayCreationExpressionSyntax implicitStackAlloc:
                return implicitStackAlloc.Initializer.Expressions.Count;

            default:
                return null;
        }
    }

    private static int? OfLocal(ILocalReferenceOperation reference, int depth, CancellationToken cancellationToken)
    {
        ILocalSymbol local = reference.Local;
        if (local.IsRef || local.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel is not { } model)
        {
            return null;
        }

        if (local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer: { } initializer } declarator
            || declarator.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        SyntaxNode scope = declarator.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? declarator.SyntaxTree.GetRoot(cancellationToken);
        if (IsWrittenAfterDeclaration(scope, local.Name, cancellationToken))
        {
            return null;
        }

        return Of(model.GetOperation(initializer.Value, cancellationToken), depth + 1, cancellationToken);
    }

    private static int? OfReadOnlyField(IFieldReferenceOperation reference, int depth, CancellationToken cancellationToken)
    {
        IFieldSymbol field = reference.Field;
        if (!field.IsReadOnly || field.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel is not { } model)
        {
            return null;
        }

        // Only a field declared in the file being analyzed can be read through this file's semantic model.
        if (field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer: { } initializer } declarator
            || declarator.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        // A readonly field can still be assigned in a constructor of any part of its type.
        foreach (SyntaxReference part in field.ContainingType.DeclaringSyntaxReferences)
        {
            if (IsWrittenAfterDeclaration(part.GetSyntax(cancellationToken), field.Name, cancellationToken))
            {
                return null;
            }
        }

        return Of(model.GetOperation(initializer.Value, cancellationToken), depth + 1, cancellationToken);
    }

    /// <summary>True if <paramref name="scope"/> assigns <paramref name="name"/> or passes it by <c>ref</c>/<c>out</c>.</summary>
    private static bool IsWrittenAfterDeclaration(SyntaxNode scope, string name, CancellationToken cancellationToken)
    {
        foreach (SyntaxNode node in scope.DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExpressionSyntax? target = node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword or (int)SyntaxKind.OutKeyword } argument => argument.Expression,
                RefExpressionSyntax refExpression => refExpression.Expression,
                _ => null,
            };
            if (Names(target) == name)
            {
                return true;
            }
        }

        return false;
    }

    private static string? Names(ExpressionSyntax? expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member => member.Name.Identifier.ValueText,
        _ => null,
    };
}
