namespace AeGen.Generator.Model;

/// <summary>
/// Everything the emitter needs to know about one <c>[Autoencoder(n, k)]</c> class, as plain values:
/// no symbols, syntax or compilation, so equal specs mean the generated source is unchanged.
/// </summary>
/// <param name="Namespace">The class's namespace, or empty for the global namespace.</param>
/// <param name="Declarations">The type headers from the outermost containing type down to the class itself,
/// each as written after <c>partial</c> (for example <c>class Outer</c>, <c>record Model</c>).</param>
/// <param name="ClassName">The class's name, used for constructors and documentation.</param>
/// <param name="HintName">A file name unique to the class.</param>
/// <param name="Inputs">n.</param>
/// <param name="Hidden">k.</param>
/// <param name="Type">float or double.</param>
internal sealed record AutoencoderSpec(
    string Namespace,
    EquatableArray<string> Declarations,
    string ClassName,
    string HintName,
    int Inputs,
    int Hidden,
    NumericType Type)
{
    public int ParameterCount => CountParameters(Inputs, Hidden);

    // Where each tensor starts in the parameter vector: W1, b1, W2, b2, W3, b3, matrices row-major. The generated
    // W1Offset…B3Offset constants and every kernel emitter read these; they restate the runtime's ParameterLayout,
    // which this assembly cannot reference, and ParameterLayoutTests compares every test model's constants with it.
    public int B1Offset => Inputs * Hidden;

    public int W2Offset => B1Offset + Hidden;

    public int B2Offset => W2Offset + (Hidden * Inputs);

    public int W3Offset => B2Offset + Inputs;

    public int B3Offset => W3Offset + (Inputs * Inputs);

    /// <summary>W1 (n·k), b1 (k), W2 (k·n), b2 (n), W3 (n·n), b3 (n).</summary>
    public static int CountParameters(int inputs, int hidden) =>
        (inputs * hidden) + hidden + (hidden * inputs) + inputs + (inputs * inputs) + inputs;
}
