using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AeGen.Generator.Model;

/// <summary>
/// The names the generator writes into a model class. The parser refuses a class that already declares one
/// (the generated file would not compile) and the declaration analyzer reports it. <c>GeneratedMembersTests</c>
/// compares the list with the members that compiled models of every kind have, both ways.
/// </summary>
internal static class GeneratedMembers
{
    public static readonly ImmutableHashSet<string> Names = ImmutableHashSet.Create(
        "Inputs", "Hidden", "ParameterCount",
        "W1Offset", "B1Offset", "W2Offset", "B2Offset", "W3Offset", "B3Offset",
        "DefaultSeed", "Parameters", "W1", "B1", "W2", "B2", "W3", "B3",
        "Initialize", "Forward", "Encode", "Decode", "Cost", "Backward",
        // Each calls a kernel: of the runtime (dense models) or of the file-local kernel class (unrolled models),
        // whose own names are not the model's.
        "ForwardCore", "EncodeCore", "DecodeCore", "CostCore", "BackwardCore",
        "_parameters", "Input", "Code", "Scaler", "_scaler",
        // The runtime kernels of larger models (DenseKernelEmitter.Field). Unrolled models do not emit it, but a name
        // reserved for every shape keeps a model valid when its n or k changes.
        "_kernels");

    /// <summary>True for a constructor the generator also writes: the parameterless one and the one taking a seed.</summary>
    public static bool IsGeneratedConstructorSignature(IMethodSymbol constructor) =>
        constructor.MethodKind == MethodKind.Constructor
        && !constructor.IsStatic
        && (constructor.Parameters.Length == 0
            || (constructor.Parameters.Length == 1 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_Int32));

    /// <summary>
    /// The members of <paramref name="type"/> that clash with generated ones, skipping those for which
    /// <paramref name="isGenerated"/> is true (the analyzers see the generator's own output in the compilation).
    /// </summary>
    public static IEnumerable<ISymbol> Conflicts(INamedTypeSymbol type, System.Func<ISymbol, bool> isGenerated)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || isGenerated(member))
            {
                continue;
            }

            bool clashes = member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                ? IsGeneratedConstructorSignature(constructor)
                : Names.Contains(member.Name);
            if (clashes)
            {
                yield return member;
            }
        }
    }
}
