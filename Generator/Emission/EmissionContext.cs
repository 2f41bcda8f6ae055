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

    /// <summary>
    /// Where each parameter sits in <c>p</c>, the parameters' first element, for the comment above kernels that
    /// address them by index: "W1[i, j] at 2i + j, b1[j] at 4 + j, …" for a 2×2 model.
    /// </summary>
    public string ParameterMap
    {
        get
        {
            string Matrix(string name, int start, int columns) =>
                Invariant($"{name}[i, j] at {(start == 0 ? "" : Invariant($"{start} + "))}{(columns == 1 ? "" : columns.ToString(System.Globalization.CultureInfo.InvariantCulture))}i + j");
            string Vector(string name, int start) => Invariant($"{name}[j] at {start} + j");
            return string.Join(", ",
                Matrix("W1", 0, Hidden), Vector("b1", Spec.B1Offset),
                Matrix("W2", Spec.W2Offset, Inputs), Vector("b2", Spec.B2Offset),
                Matrix("W3", Spec.W3Offset, Inputs), Vector("b3", Spec.B3Offset));
        }
    }

    /// <summary>n.</summary>
    public int Inputs => Spec.Inputs;

    /// <summary>k.</summary>
    public int Hidden => Spec.Hidden;
}
