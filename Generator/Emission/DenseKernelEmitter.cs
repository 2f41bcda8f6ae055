using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// The kernels of larger models: matrix products over register tiles, which live once in the runtime
/// (<c>AeGen.Internals.DenseKernels&lt;T&gt;</c>) for every shape, since at these sizes the shape's constants no
/// longer buy speed and the cut of the products is chosen per machine. The model holds one instance for its shape
/// and its Core methods hand it the parameters.
/// </summary>
internal static class DenseKernelEmitter
{
    /// <summary>The static field holding the runtime kernels of the model's shape.</summary>
    public const string Field = "_kernels";

    public static void Write(EmissionContext c)
    {
        SourceWriter w = c.Writer;
        string generatedCode = c.GeneratedCode;
        string T = c.Scalar.Name;
        string kernels = KnownTypes.DenseKernels + "<" + T + ">";
        const string Parameters = "ref " + KnownTypes.Marshal + ".GetArrayDataReference(_parameters)";
        w.Summary("The matrix-product kernels for this shape, shared by every instance.");
        w.Line(generatedCode);
        w.Line(Invariant($"private static readonly {kernels} {Field} = new {kernels}(Inputs, Hidden);"));
        w.Line();
        Core(w, generatedCode, "void", "ForwardCore(ref " + T + " x, ref " + T + " xhat, int m)", "Forward(" + Parameters + ", ref x, ref xhat, m)", "Forward for m rows.");
        Core(w, generatedCode, "void", "EncodeCore(ref " + T + " x, ref " + T + " code, int m)", "Encode(" + Parameters + ", ref x, ref code, m)", "Encode for m rows.");
        Core(w, generatedCode, "void", "DecodeCore(ref " + T + " code, ref " + T + " xhat, int m)", "Decode(" + Parameters + ", ref code, ref xhat, m)", "Decode for m rows.");
        Core(w, generatedCode, T, "CostCore(ref " + T + " x, int m)", "Cost(" + Parameters + ", ref x, m)", "The cost over m rows.");
        Core(w, generatedCode, T, "BackwardCore(ref " + T + " x, ref " + T + " target, ref " + T + " gradient, int m, int maxDegreeOfParallelism)",
            "Backward(" + Parameters + ", ref x, ref target, ref gradient, m, maxDegreeOfParallelism)", "Cost against the target rows and gradient over m rows, the large products shared by up to maxDegreeOfParallelism threads.");
    }

    private static void Core(SourceWriter w, string generatedCode, string returnType, string signature, string call, string summary)
    {
        w.Summary(summary);
        w.Line(generatedCode);
        w.Line(Invariant($"private {returnType} {signature} => {Field}.{call};"));
        w.Line();
    }
}
