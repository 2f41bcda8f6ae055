using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = AeGen.Tests.Analyzers.AnalyzerVerifier<AeGen.Generator.Analyzers.CallSiteAnalyzer>;

namespace AeGen.Tests.Analyzers;

/// <summary>
/// Call-site rules on a model with n = 4, k = 2 (ParameterCount 42) and one with n = 6, k = 2 (ParameterCount 80):
/// each rule fires on a length known at compile time and stays silent on the correct length or an unknown one.
/// </summary>
public class CallSiteAnalyzerTests
{
    private static string Code(string body) =>
        "using System;\nusing AeGen;\nnamespace Demo;\n"
        + "[Autoencoder(4, 2)] public partial class Small;\n"
        + "[Autoencoder(6, 2)] public partial class Large;\n"
        + "public class Use\n{\n"
        + "    private static readonly float[] Row = new float[4];\n"
        + "    private static readonly float[] Odd = new float[5];\n"
        + "    public static void Run(Small small, Large large, float[] unknown)\n    {\n"
        + body
        + "\n    }\n}\n";

    [Fact]
    public Task AEG008_fires_on_arrays_collections_stackalloc_locals_and_fields() =>
        Verify.VerifyAsync(Code(
            "        small.Cost({|AEG008:new float[6]|});\n"
            + "        small.Cost({|AEG008:new float[] { 1, 2, 3 }|});\n"
            + "        small.Cost({|AEG008:[1f, 2f, 3f, 4f, 5f]|});\n"
            + "        small.Cost({|AEG008:stackalloc float[7]|});\n"
            + "        float[] three = new float[3];\n"
            + "        small.Forward({|AEG008:three|}, new float[3]);\n"
            + "        small.Encode({|AEG008:Odd|}, new float[2]);\n"
            + "        small.Decode({|AEG008:new float[3]|}, new float[4]);\n"
            + "        small.Backward({|AEG008:new float[0]|}, new float[42]);"));

    [Fact]
    public Task AEG008_message_names_the_width_and_the_length() =>
        Verify.VerifyAsync(
            Code("        small.Cost({|#0:new float[6]|});"),
            new DiagnosticResult("AEG008", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("x", "4", "Small", "Cost", "6"));

    [Fact]
    public Task AEG008_near_miss_whole_rows_unknown_lengths_and_reassigned_locals() =>
        Verify.VerifyAsync(Code(
            "        small.Cost(new float[8]);\n"
            + "        small.Cost([1f, 2f, 3f, 4f]);\n"
            + "        small.Cost(stackalloc float[Small.Inputs * 3]);\n"
            + "        small.Cost(Row);\n"
            + "        small.Cost(unknown);\n"
            + "        small.Cost([.. unknown]);\n"
            + "        float[] grows = new float[3];\n"
            + "        grows = new float[4];\n"
            + "        small.Cost(grows);\n"
            + "        small.Decode(new float[Small.Hidden], new float[Small.Inputs]);"));

    [Fact]
    public Task AEG009_fires_when_the_output_does_not_match_the_rows() =>
        Verify.VerifyAsync(Code(
            "        small.Forward(new float[8], {|AEG009:new float[4]|});\n"
            + "        small.Encode(new float[4], {|AEG009:new float[4]|});\n"
            + "        small.Decode(new float[4], {|AEG009:stackalloc float[4]|});"));

    [Fact]
    public Task AEG009_message_names_rows_and_widths() =>
        Verify.VerifyAsync(
            Code("        small.Encode(new float[8], {|#0:new float[2]|});"),
            new DiagnosticResult("AEG009", DiagnosticSeverity.Warning).WithLocation(0)
                .WithArguments("code", "4", "2", "2", "x", "Small", "Encode", "2"));

    [Fact]
    public Task AEG009_near_miss_matching_outputs() =>
        Verify.VerifyAsync(Code(
            "        small.Forward(new float[8], new float[8]);\n"
            + "        small.Encode(new float[8], new float[4]);\n"
            + "        small.Decode(new float[4], new float[8]);\n"
            + "        small.Forward(new float[8], unknown);"));

    [Fact]
    public Task AEG010_fires_on_a_gradient_of_the_wrong_length() =>
        Verify.VerifyAsync(Code(
            "        small.Backward(Row, {|AEG010:new float[41]|});\n"
            + "        small.Backward(Row, {|AEG010:new float[Large.ParameterCount]|});"));

    [Fact]
    public Task AEG010_near_miss_parameter_count_long() =>
        Verify.VerifyAsync(Code(
            "        small.Backward(Row, new float[Small.ParameterCount]);\n"
            + "        small.Backward(Row, new float[42]);\n"
            + "        small.Backward(Row, unknown);"));

    [Fact]
    public Task The_denoising_Backward_is_checked_as_the_plain_one_with_its_target_as_an_output() =>
        Verify.VerifyAsync(Code(
            "        small.Backward(Row, {|AEG009:new float[8]|}, new float[42]);\n"
            + "        small.Backward({|AEG008:Odd|}, new float[5], new float[42]);\n"
            + "        small.Backward(Row, Row, {|AEG010:new float[41]|});\n"
            + "        small.Backward(Row, new float[4], new float[42]);"));

    [Fact]
    public Task AEG011_fires_on_parameters_of_a_model_of_another_shape() =>
        Verify.VerifyAsync(Code(
            "        small.Backward(Row, {|AEG011:large.Parameters|});\n"
            + "        small.Parameters.CopyTo({|AEG011:large.Parameters|});"));

    [Fact]
    public Task AEG011_near_miss_parameters_of_the_same_shape() =>
        Verify.VerifyAsync(Code(
            "        Small other = new Small(7);\n"
            + "        other.Parameters.CopyTo(small.Parameters);\n"
            + "        small.Backward(Row, other.Parameters);"));

    [Fact]
    public Task Readonly_fields_count_only_when_never_assigned_again() =>
        Verify.VerifyAsync(
            "using AeGen;\nnamespace Demo;\n[Autoencoder(4, 2)] public partial class Small;\n"
            + "public class Holder\n{\n"
            + "    private readonly float[] _fixed = new float[3];\n"
            + "    private readonly float[] _resized = new float[3];\n"
            + "    private float[] _mutable = new float[3];\n"
            + "    public Holder(bool big) { if (big) { _resized = new float[8]; } }\n"
            + "    public void Run(Small small)\n    {\n"
            + "        small.Cost({|AEG008:_fixed|});\n"
            + "        small.Cost(_resized);\n"
            + "        small.Cost(_mutable);\n"
            + "    }\n}\n");
}
