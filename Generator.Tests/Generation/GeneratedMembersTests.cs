using System.Collections.Generic;
using System.Linq;
using AeGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AeGen.Tests.Generation;

/// <summary>
/// The names the parser and the analyzer reserve (<see cref="GeneratedMembers.Names"/>) against the members that
/// generated models actually have: every generated member's name is reserved, and every reserved name is generated
/// by some model kind, so the list can neither miss a member nor keep one that is gone.
/// </summary>
public class GeneratedMembersTests
{
    /// <summary>One model of each kind the emitters distinguish: packed-row and row-per-lane, unrolled, dense; both precisions.</summary>
    private const string Models = """
        using AeGen;
        namespace Demo;
        [Autoencoder(2, 2)] public partial class PackedRows;
        [Autoencoder(2, 2, Precision = Precision.Double)] public partial class PackedRowsDouble;
        [Autoencoder(8, 3)] public partial class Unrolled;
        [Autoencoder(5, 3, Precision = Precision.Double)] public partial class UnrolledDouble;
        [Autoencoder(64, 16)] public partial class Dense;
        [Autoencoder(20, 3, Precision = Precision.Double)] public partial class DenseDouble;
        """;

    private static Compilation Generated()
    {
        Compilation compilation = GeneratorHarness.Compilation(Models);
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return output;
    }

    private static Dictionary<string, HashSet<string>> GeneratedMemberNames()
    {
        Compilation output = Generated();
        string[] models = ["PackedRows", "PackedRowsDouble", "Unrolled", "UnrolledDouble", "Dense", "DenseDouble"];
        return models.ToDictionary(name => name, name =>
        {
            INamedTypeSymbol type = output.GetTypeByMetadataName("Demo." + name)!;
            return type.GetMembers()
                .Where(m => !m.IsImplicitlyDeclared && m.Locations.Any(l => l.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true))
                // Constructors are checked by signature, and explicit interface implementations cannot clash by name.
                // Accessors go with their property.
                .Where(m => m is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.ExplicitInterfaceImplementation }
                    and not IMethodSymbol { AssociatedSymbol: not null })
                .Where(m => m is not IPropertySymbol { ExplicitInterfaceImplementations.Length: > 0 })
                .Select(m => m.Name)
                .ToHashSet();
        });
    }

    /// <summary>The kernel classes the generator wrote, by name: <c>PackedRowsKernels</c> and so on.</summary>
    private static Dictionary<string, INamedTypeSymbol> KernelClasses(Compilation output) =>
        output.SyntaxTrees
            .Where(tree => tree.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal))
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>()
                .Select(node => (INamedTypeSymbol)output.GetSemanticModel(tree).GetDeclaredSymbol(node)!))
            .Where(type => type.ContainingType is null && type.ContainingNamespace.ToDisplayString() == "AeGen.Generated")
            .ToDictionary(type => type.Name, type => type);

    [Fact]
    public void Every_member_a_model_gets_is_a_reserved_name()
    {
        foreach ((string model, HashSet<string> names) in GeneratedMemberNames())
        {
            Assert.NotEmpty(names);
            string[] unreserved = [.. names.Where(n => !GeneratedMembers.Names.Contains(n)).OrderBy(n => n)];
            Assert.True(unreserved.Length == 0, $"{model} has generated members that GeneratedMembers.Names misses: {string.Join(", ", unreserved)}");
        }
    }

    [Fact]
    public void Every_reserved_name_is_a_member_of_some_model()
    {
        HashSet<string> generated = [.. GeneratedMemberNames().Values.SelectMany(n => n)];
        string[] stale = [.. GeneratedMembers.Names.Where(n => !generated.Contains(n)).OrderBy(n => n)];
        Assert.True(stale.Length == 0, $"GeneratedMembers.Names reserves names no model has: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Every_model_kind_is_among_the_ones_checked()
    {
        // The kinds differ by what only they have: the packed-row class of packed-row models (with the shape the
        // runtime's row-per-lane kernels are compiled for behind it), the kernel class and its shape of unrolled
        // models, the runtime kernels' field of dense ones. If an emitter changed which
        // shapes get which kernels, this says the shapes above no longer cover the kinds.
        Compilation output = Generated();
        Dictionary<string, INamedTypeSymbol> kernels = KernelClasses(output);
        Assert.Equal(["PackedRowsDoubleKernels", "PackedRowsKernels", "UnrolledDoubleKernels", "UnrolledKernels"], kernels.Keys.Order());
        string[] Members(string model) => [.. kernels[model + "Kernels"].GetMembers().Select(m => m.Name)];
        Assert.Contains("Packed512", Members("PackedRows"));
        Assert.Contains("Shape", Members("PackedRows"));
        Assert.DoesNotContain("Packed512", Members("Unrolled"));
        Assert.Contains("Shape", Members("Unrolled"));
        Assert.Contains("Run", Members("Unrolled"));
        Dictionary<string, HashSet<string>> members = GeneratedMemberNames();
        Assert.Contains("_kernels", members["Dense"]);
        Assert.Contains("_kernels", members["DenseDouble"]);
        Assert.DoesNotContain("_kernels", members["Unrolled"]);
    }

    [Fact]
    public void Kernel_classes_add_no_name_to_the_users_project()
    {
        // File-local: two models of one name in two namespaces both get a UnrolledKernels, and neither is visible to
        // the user's code.
        Assert.All(KernelClasses(Generated()).Values, type => Assert.True(type.IsFileLocal, type.Name + " is not file-local."));
    }
}
