using AeGen.Generator.Model;
using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// What every emitter of one model works from: the writer, the model's spec, its scalar type with the sizes that
/// follow from it, and the attribute that marks each generated member. Built once per model by
/// <see cref="ModelEmitter"/> and handed to each emitter.
/// </summary>
internal sealed class EmissionContext(SourceWriter writer, AutoencoderSpec spec)
{
    public SourceWriter Writer { get; } = writer;

    public AutoencoderSpec Spec { get; } = spec;

    public ScalarType Scalar { get; } = ScalarType.Of(spec.Type);

    /// <summary>The <c>[GeneratedCode]</c> attribute line that marks every generated member, with the generator's version.</summary>
    public static readonly string GeneratedCodeAttribute = Invariant(
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"AeGen.Generator\", \"{typeof(EmissionContext).Assembly.GetName().Version}\")]");

    /// <inheritdoc cref="GeneratedCodeAttribute"/>
    public string GeneratedCode => GeneratedCodeAttribute;

    /// <summary>n.</summary>
    public int Inputs => Spec.Inputs;

    /// <summary>k.</summary>
    public int Hidden => Spec.Hidden;
}
