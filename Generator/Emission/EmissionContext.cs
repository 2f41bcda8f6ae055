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

    /// <summary>
    /// The alias, declared once at the top of each generated file, by which every member's <c>[GeneratedCode]</c> is
    /// written: the fully qualified name on each of some forty members was an eighth of a small model's source. The
    /// name is one no user type is likely to have (a type of that name in the model's namespace would hide it).
    /// </summary>
    public const string GeneratedCodeAlias = "using GeneratedByAeGen = global::System.CodeDom.Compiler.GeneratedCodeAttribute;";

    /// <summary>The <c>[GeneratedCode]</c> attribute line that marks every generated member, with the generator's version.</summary>
    public static readonly string GeneratedCodeAttribute = Invariant(
        $"[GeneratedByAeGen(\"AeGen.Generator\", \"{typeof(EmissionContext).Assembly.GetName().Version}\")]");

    /// <inheritdoc cref="GeneratedCodeAttribute"/>
    public string GeneratedCode => GeneratedCodeAttribute;

    /// <summary>The file-local class that holds an unrolled model's kernels, in <see cref="KnownTypes.KernelScope.Namespace"/>.</summary>
    public string KernelClass => Spec.ClassName.TrimStart('@') + "Kernels";

    /// <summary>
    /// The kernel class's constants naming where each tensor starts in <c>p</c>, the parameters' first element, so
    /// that a kernel addresses W3[1, 0] of a 2×2 model as <c>W3 + 2</c>, not as 14.
    /// </summary>
    public string TensorStarts => Invariant(
        $"private const int W1 = 0, B1 = {Spec.B1Offset}, W2 = {Spec.W2Offset}, B2 = {Spec.B2Offset}, W3 = {Spec.W3Offset}, B3 = {Spec.B3Offset};");

    /// <summary>Where each element sits relative to those starts: "W1[i, j] at W1 + 2i + j, b1[j] at B1 + j, …" for a 2×2 model.</summary>
    public string ParameterMap
    {
        get
        {
            string Matrix(string name, int columns) =>
                Invariant($"{name}[i, j] at {name} + {(columns == 1 ? "" : columns.ToString(System.Globalization.CultureInfo.InvariantCulture))}i + j");
            string Vector(string name) => Invariant($"{name.ToLowerInvariant()}[j] at {name} + j");
            return string.Join(", ", Matrix("W1", Hidden), Vector("B1"), Matrix("W2", Inputs), Vector("B2"), Matrix("W3", Inputs), Vector("B3"));
        }
    }

    /// <summary>Parameter <paramref name="index"/> as the kernels spell it: its tensor's start and the offset in it, "W3 + 2".</summary>
    public string Label(int index)
    {
        (string Name, int Start) tensor =
            index >= Spec.B3Offset ? ("B3", Spec.B3Offset)
            : index >= Spec.W3Offset ? ("W3", Spec.W3Offset)
            : index >= Spec.B2Offset ? ("B2", Spec.B2Offset)
            : index >= Spec.W2Offset ? ("W2", Spec.W2Offset)
            : index >= Spec.B1Offset ? ("B1", Spec.B1Offset)
            : ("W1", 0);
        int offset = index - tensor.Start;
        return offset == 0 ? tensor.Name : Invariant($"{tensor.Name} + {offset}");
    }

    /// <summary>n.</summary>
    public int Inputs => Spec.Inputs;

    /// <summary>k.</summary>
    public int Hidden => Spec.Hidden;
}
