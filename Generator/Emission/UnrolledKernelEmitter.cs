using System.Collections.Generic;
using System.Linq;
using System.Threading;
using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// The kernel class of a small model (one under <see cref="ModelEmitter.UnrollLimit"/> parameters): its shape as a
/// type, <c>Shape</c>, and the entry points the model's Core methods call. The kernels themselves, with a row per SIMD
/// lane, are the runtime's <c>AeGen.Internals.LaneKernels</c>, which the JIT compiles for <c>Shape</c> as if they had
/// been written out for it: every loop count and offset is a constant there. Where rows are so short that four or
/// more fit in one vector, the entry points hand over to <see cref="PackedRowKernelEmitter"/>'s kernels, which are
/// written out here for 512- and where they fit 256-bit vectors, when that width is accelerated; the lane kernels
/// serve every other machine.
/// </summary>
internal sealed class UnrolledKernelEmitter(EmissionContext c)
{
    /// <summary>The Core methods of the model: each calls a kernel, the inference ones with the pass they run.</summary>
    private static readonly (string Core, string Parameters, string Call)[] Cores =
    [
        ("void ForwardCore", "ref {0} x, ref {0} xhat, int m", "Run<global::AeGen.Internals.ForwardPass>(_parameters, ref x, ref xhat, m)"),
        ("void EncodeCore", "ref {0} x, ref {0} code, int m", "Run<global::AeGen.Internals.EncodePass>(_parameters, ref x, ref code, m)"),
        ("void DecodeCore", "ref {0} code, ref {0} xhat, int m", "Run<global::AeGen.Internals.DecodePass>(_parameters, ref code, ref xhat, m)"),
        ("{0} BackwardCore", "ref {0} x, ref {0} target, ref {0} gradient, int m", "Backward(_parameters, ref x, ref target, ref gradient, m)"),
    ];

    private readonly SourceWriter _w = c.Writer;
    private readonly ScalarType _t = c.Scalar;
    private readonly int _n = c.Inputs;
    private readonly int _k = c.Hidden;
    /// <summary>The widths whose packed-row kernels this shape has, widest first: for inference, and for Backward.</summary>
    private readonly int[] _packed = [.. PackedRowKernelEmitter.Widths.Where(bits => PackedRowKernelEmitter.Applies(c.Spec, c.Scalar, bits))];
    private readonly int[] _packedBackward = [.. PackedRowKernelEmitter.Widths.Where(bits => PackedRowKernelEmitter.AppliesToBackward(c.Spec, c.Scalar, bits))];

    /// <summary>The model's shape as a type, declared in the kernel class, which <c>LaneKernels</c> is compiled for.</summary>
    private const string ShapeType = "Shape";

    private string T => _t.Name;

    /// <summary>The runtime's lane kernels, compiled for this model's shape.</summary>
    private string LaneKernels => Invariant($"{KnownTypes.KernelScope.LaneKernels}<{T}, {ShapeType}>");

    private int G => _t.Lanes;

    /// <summary>
    /// The model's Core methods, inside its partial class: each hands the parameters to its kernel in the file-local
    /// kernel class, which <see cref="WriteKernelClass"/> writes after the model's namespace.
    /// </summary>
    public void WriteCores()
    {
        string kernels = "global::" + KnownTypes.KernelScope.Namespace + "." + c.KernelClass + ".";
        foreach ((string core, string signature, string call) in Cores)
        {
            _w.Line(c.GeneratedCode);
            _w.Line(string.Format(System.Globalization.CultureInfo.InvariantCulture, "private " + core + "(" + signature + ") =>", T));
            _w.Line("    " + kernels + call + ";");
            _w.Line();
        }

        // The cost pass writes its one result, S, where the others write rows.
        _w.Line(c.GeneratedCode);
        _w.Open(Invariant($"private {T} CostCore(ref {T} x, int m)"));
        _w.Line(Invariant($"{T} cost = 0;"));
        _w.Line(kernels + "Run<global::AeGen.Internals.CostPass>(_parameters, ref x, ref cost, m);");
        _w.Line("return cost;");
        _w.Close();
        _w.Line();
    }

    /// <summary>
    /// The kernel class, in a namespace of its own after the model's: there its directives give the kernels short
    /// names that no type of the user's can shadow (see <see cref="KnownTypes.KernelScope"/>), and being file-local
    /// it adds no name to the user's project.
    /// </summary>
    public void WriteKernelClass(CancellationToken cancellationToken)
    {
        _w.Open("namespace " + KnownTypes.KernelScope.Namespace);
        foreach (string directive in KnownTypes.KernelScope.Usings)
        {
            _w.Line(directive);
        }

        _w.Line();
        _w.Summary(_packed.Length > 0
            ? Invariant($"The kernels of the {_n}×{_k} {T} model {c.Spec.ClassName}: the runtime's row-per-lane kernels, compiled for its shape, and packed-row ones written out for it.")
            : Invariant($"The kernels of the {_n}×{_k} {T} model {c.Spec.ClassName}: the runtime's row-per-lane kernels, compiled for its shape."));
        _w.Line(c.GeneratedCode);
        _w.Open("file static class " + c.KernelClass);
        if (_packed.Length > 0)
        {
            // Only the packed-row kernels, written out here, read the parameters by name.
            _w.Line("// The parameters are read from p, their first element: " + c.ParameterMap + ".");
            _w.Line(c.TensorStarts);
            _w.Line();
        }

        _w.Summary("The shape, as the type the runtime's lane kernels are compiled for.");
        _w.Line(Invariant($"private struct {ShapeType} : ILaneShape {{ public static int Inputs => {_n}; public static int Hidden => {_k}; }}"));
        _w.Line();
        WritePass();
        cancellationToken.ThrowIfCancellationRequested();
        WriteBackward();
        foreach (int bits in _packed)
        {
            PackedRowKernelEmitter.Write(c, bits, _packedBackward.Contains(bits));
        }

        _w.Close();
        _w.Close();
    }

    /// <summary>
    /// Forward, Encode, Decode and Cost as one kernel, generic over the pass: the runtime's lane kernel for this
    /// shape, after the packed-row ones where they apply and their width is accelerated.
    /// </summary>
    private void WritePass()
    {
        _w.Summary(_packed.Length > 0
            ? "Forward, Encode, Decode or Cost (which writes S to output) for m rows, as TPass says: rows packed in the widest vectors written for them that are accelerated, else a row per lane."
            : Invariant($"Forward, Encode, Decode or Cost (which writes S to output) for m rows, as TPass says: {G} rows at a time, a row per lane."));
        _w.Line(Invariant($"public static void Run<TPass>({T}[] parameters, ref {T} input, ref {T} output, int m)"));
        _w.Line("    where TPass : struct, IKernelPass");
        _w.Open("");
        UseParameters();
        foreach (int bits in _packed)
        {
            _w.Open(Invariant($"if ({PackedRowKernelEmitter.VectorType(bits)}.IsHardwareAccelerated)"));
            _w.Line(Invariant($"{PackedRowKernelEmitter.ClassName(bits)}.Run<TPass>(ref p, ref input, ref output, m);"));
            _w.Line("return;");
            _w.Close();
            _w.Line();
        }

        _w.Line(Invariant($"{LaneKernels}.Run<TPass>(ref p, ref input, ref output, m);"));
        _w.Close();
        _w.Line();
    }

    private void WriteBackward()
    {
        _w.Summary(_packedBackward.Length > 0
            ? "Cost and gradient over m rows: rows packed in the widest vectors written for them that are accelerated, else a row per lane."
            : "Cost and gradient over m rows: each lane accumulates its rows' share of every parameter's gradient; the lanes are summed at the end.");
        _w.Open(Invariant($"public static {T} Backward({T}[] parameters, ref {T} input, ref {T} target, ref {T} gradient, int m)"));
        UseParameters();
        foreach (int bits in _packedBackward)
        {
            _w.Open(Invariant($"if ({PackedRowKernelEmitter.VectorType(bits)}.IsHardwareAccelerated)"));
            _w.Line(Invariant($"return {PackedRowKernelEmitter.ClassName(bits)}.Backward(ref p, ref input, ref target, ref gradient, m);"));
            _w.Close();
            _w.Line();
        }

        _w.Line(Invariant($"return {LaneKernels}.Backward(ref p, ref input, ref target, ref gradient, m);"));
        _w.Close();
        _w.Line();
    }

    /// <summary><c>p</c>, the parameters' first element, which every index of the kernels counts from.</summary>
    private void UseParameters() =>
        _w.Line(Invariant($"ref {T} p = ref {KnownTypes.KernelScope.Marshal}.GetArrayDataReference(parameters);"));
}
