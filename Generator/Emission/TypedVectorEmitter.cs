namespace AeGen.Generator.Emission;

/// <summary>
/// Writes the single-sample vector types <c>Input</c> (Inputs values) and <c>Code</c> (Hidden values) as
/// <c>[InlineArray]</c> structs, and the Forward/Encode/Decode/Cost overloads taking them. Their sizes are part of
/// their types, so passing one model's <c>Code</c> to a model with another k is a type error, not a run-time one.
/// </summary>
internal static class TypedVectorEmitter
{
    private const string Marshal = KnownTypes.Marshal;
    private const string Unsafe = KnownTypes.Unsafe;

    public static void Write(EmissionContext c)
    {
        SourceWriter w = c.Writer;
        ScalarType t = c.Scalar;
        string generatedCode = c.GeneratedCode;
        Vector(w, t, generatedCode, "Input", "Inputs", "One sample: exactly <see cref=\"Inputs\"/> values, stored inline.");
        Vector(w, t, generatedCode, "Code", "Hidden", "One bottleneck code: exactly <see cref=\"Hidden\"/> values, stored inline.");

        // The kernels may read x after writing part of the output, so results go to a local first: a caller may
        // pass the same vector as input and output.
        w.Summary("Reconstructs one sample; the same as the span overload with one row.");
        w.Line(generatedCode);
        w.Open("public void Forward(in Input x, out Input xhat)");
        w.Line("Input result = default;");
        w.Line("ForwardCore(ref " + Unsafe + ".AsRef(in x[0]), ref result[0], 1);");
        w.Line("xhat = result;");
        w.Close();
        w.Line();

        w.Summary("Encodes one sample; the same as the span overload with one row.");
        w.Line(generatedCode);
        w.Open("public void Encode(in Input x, out Code code)");
        w.Line("Code result = default;");
        w.Line("EncodeCore(ref " + Unsafe + ".AsRef(in x[0]), ref result[0], 1);");
        w.Line("code = result;");
        w.Close();
        w.Line();

        w.Summary("Decodes one code; the same as the span overload with one row.");
        w.Line(generatedCode);
        w.Open("public void Decode(in Code code, out Input xhat)");
        w.Line("Input result = default;");
        w.Line("DecodeCore(ref " + Unsafe + ".AsRef(in code[0]), ref result[0], 1);");
        w.Line("xhat = result;");
        w.Close();
        w.Line();

        w.Summary("The cost S = ½·Σ(x − x̂)² of one sample; the same as the span overload with one row.");
        w.Line(generatedCode);
        w.Line("public " + t.Name + " Cost(in Input x) => CostCore(ref " + Unsafe + ".AsRef(in x[0]), 1);");
        w.Line();
    }

    private static void Vector(SourceWriter w, ScalarType t, string generatedCode, string name, string length, string summary)
    {
        string span = "global::System.Span<" + t.Name + ">";
        string readOnlySpan = "global::System.ReadOnlySpan<" + t.Name + ">";

        w.Summary(summary + " Converts to and from spans without copying.");
        w.Line(generatedCode);
        w.Line("[global::System.Runtime.CompilerServices.InlineArray(" + length + ")]");
        w.Open("public struct " + name);
        w.Line("private " + t.Name + " _element0;");
        w.Line();

        w.Summary("The values, as a span over this vector's own storage.");
        w.Line("[global::System.Diagnostics.CodeAnalysis.UnscopedRef]");
        w.Line("public " + span + " AsSpan() => " + Marshal + ".CreateSpan(ref _element0, " + length + ");");
        w.Line();

        w.Summary("Views <paramref name=\"values\"/> as one " + name + " without copying.");
        w.Line("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"values\"/> does not hold exactly " + length + " values.</exception>");
        w.Line("public static ref " + name + " FromSpan(" + span + " values) =>");
        w.Line("    ref " + KnownTypes.ShapeGuard + ".View<" + name + ", " + t.Name + ">(values, " + length + ", nameof(" + name + "));");
        w.Line();

        w.Summary("Views <paramref name=\"values\"/> as one read-only " + name + " without copying.");
        w.Line("/// <exception cref=\"global::System.ArgumentException\"><paramref name=\"values\"/> does not hold exactly " + length + " values.</exception>");
        w.Line("public static ref readonly " + name + " FromReadOnlySpan(" + readOnlySpan + " values) =>");
        w.Line("    ref " + KnownTypes.ShapeGuard + ".ViewReadOnly<" + name + ", " + t.Name + ">(values, " + length + ", nameof(" + name + "));");
        w.Close();
        w.Line();
    }
}
