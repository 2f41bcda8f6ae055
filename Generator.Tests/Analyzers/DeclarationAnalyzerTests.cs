using System.Threading.Tasks;
using AeGen.CodeFixes;
using AeGen.Generator.Analyzers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = AeGen.Tests.Analyzers.AnalyzerVerifier<AeGen.Generator.Analyzers.DeclarationAnalyzer>;

namespace AeGen.Tests.Analyzers;

/// <summary>Each declaration rule: a case that fires and a near miss that does not.</summary>
public class DeclarationAnalyzerTests
{
    private const string Usings = "using AeGen;\nnamespace Demo;\n";

    [Fact]
    public Task AEG001_fires_on_a_class_that_is_not_partial() =>
        Verify.VerifyAsync(Usings + "[Autoencoder(8, 3)] public class {|AEG001:Model|};\n");

    [Fact]
    public Task AEG001_near_miss_partial_class() =>
        Verify.VerifyAsync(Usings + "[Autoencoder(8, 3)] public partial class Model;\n");

    [Fact]
    public Task AEG001_fix_adds_partial_after_the_other_modifiers() =>
        Verify.VerifyFixAsync<AddPartialCodeFix>(
            Usings + "[Autoencoder(8, 3)]\npublic sealed class {|AEG001:Model|}\n{\n}\n",
            Usings + "[Autoencoder(8, 3)]\npublic sealed partial class Model\n{\n}\n");

    [Fact]
    public Task AEG001_fix_keeps_indentation_without_modifiers() =>
        Verify.VerifyFixAsync<AddPartialCodeFix>(
            Usings + "public partial class Outer\n{\n    [Autoencoder(8, 3)]\n    class {|AEG001:Model|}\n    {\n    }\n}\n",
            Usings + "public partial class Outer\n{\n    [Autoencoder(8, 3)]\n    partial class Model\n    {\n    }\n}\n");

    [Fact]
    public Task AEG002_fires_on_zero_negative_and_too_large_dimensions() =>
        Verify.VerifyAsync(
            Usings + "[Autoencoder({|AEG002:0|}, 3)] public partial class A;\n"
            + "[Autoencoder(8, {|AEG002:-1|})] public partial class B;\n"
            + "[Autoencoder({|AEG002:2049|}, 3)] public partial class C;\n");

    [Fact]
    public Task AEG002_message_names_the_limit_and_the_value() =>
        Verify.VerifyAsync(
            Usings + "[Autoencoder({|#0:4096|}, 3)] public partial class Model;\n",
            new DiagnosticResult("AEG002", Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithArguments("n (inputs)", "Model", "2048", "4096"));

    [Fact]
    public Task AEG002_fires_on_a_value_that_is_not_constant() =>
        Verify.VerifyAsync(
            Usings + "[Autoencoder(8, {|AEG002:{|CS0182:N|}|})] public partial class Model { static int N = 3; }\n");

    [Fact]
    public Task AEG002_near_miss_largest_supported_shape_and_constant_expressions() =>
        Verify.VerifyAsync(
            Usings + "[Autoencoder(2048, 2047)] public partial class A;\n"
            + "[Autoencoder(Size, Size / 2)] public partial class B { const int Size = 8; }\n");

    [Fact]
    public Task AEG003_fires_on_a_static_class() =>
        Verify.VerifyAsync(Usings + "[Autoencoder(8, 3)] public static partial class {|AEG003:Model|} { }\n");

    [Fact]
    public Task AEG003_near_miss_sealed_class() =>
        Verify.VerifyAsync(Usings + "[Autoencoder(8, 3)] public sealed partial class Model { }\n");

    [Fact]
    public Task AEG004_fires_when_a_containing_type_is_not_partial() =>
        Verify.VerifyAsync(
            Usings + "public partial class Outer { public class Middle { [Autoencoder(8, 3)] public partial class {|AEG004:Model|}; } }\n");

    [Fact]
    public Task AEG004_near_miss_every_container_partial() =>
        Verify.VerifyAsync(
            Usings + "public partial class Outer { public partial struct Middle { [Autoencoder(8, 3)] public partial class Model; } }\n");

    [Fact]
    public Task AEG005_fires_on_a_member_named_like_a_generated_one() =>
        Verify.VerifyAsync(
            Usings + "[Autoencoder(8, 3)] public partial class Model\n{\n"
            + "    public void {|AEG005:Forward|}() { }\n"
            + "    public int {|AEG005:Hidden|} => 3;\n"
            + "    private int[] {|AEG005:_parameters|} = [];\n"
            + "}\n");

    [Fact]
    public Task AEG005_fires_on_the_constructors_the_generator_writes() =>
        Verify.VerifyAsync(
            Usings + "[Autoencoder(8, 3)] public partial class Model\n{\n"
            + "    public {|AEG005:Model|}() { }\n"
            + "    public {|AEG005:Model|}(int seed) { }\n"
            + "}\n");

    [Fact]
    public Task AEG005_message_names_the_member() =>
        Verify.VerifyAsync(
            Usings + "[Autoencoder(8, 3)] public partial class Model { public void {|#0:Encode|}() { } }\n",
            new DiagnosticResult("AEG005", Microsoft.CodeAnalysis.DiagnosticSeverity.Error).WithLocation(0).WithArguments("Model", "Encode"));

    [Fact]
    public Task AEG005_near_miss_other_members_and_constructors() =>
        Verify.VerifyAsync(
            Usings + "[Autoencoder(8, 3)] public partial class Model\n{\n"
            + "    public Model(string name) : this() { Name = name; }\n"
            + "    public string Name { get; } = \"\";\n"
            + "    public void Train() { }\n"
            + "    public static int forward;\n"
            + "}\n");

    [Fact]
    public Task AEG006_warns_when_the_bottleneck_is_not_narrower() =>
        Verify.VerifyAsync(
            Usings + "[{|AEG006:Autoencoder(8, 8)|}] public partial class A;\n"
            + "[{|AEG006:Autoencoder(4, 6)|}] public partial class B;\n");

    [Fact]
    public Task AEG006_near_miss_k_one_less_than_n() =>
        Verify.VerifyAsync(Usings + "[Autoencoder(8, 7)] public partial class Model;\n");

    [Fact]
    public Task AEG007_fires_on_an_undefined_precision() =>
        Verify.VerifyAsync(Usings + "[Autoencoder(8, 3, {|AEG007:Precision = (Precision)7|})] public partial class Model;\n");

    [Fact]
    public Task AEG007_near_miss_double_precision() =>
        Verify.VerifyAsync(Usings + "[Autoencoder(8, 3, Precision = Precision.Double)] public partial class Model;\n");
}
