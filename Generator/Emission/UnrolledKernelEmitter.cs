using System.Collections.Generic;
using System.Linq;
using System.Threading;
using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// Kernels for small models: every product is written out, and each SIMD lane carries one row of the batch, so a
/// group of 8 rows (4 in double) goes through straight-line code together. Each parameter is broadcast where it is
/// used; a group's rows are gathered into lanes on the way in and stored back through a small buffer on the way out.
/// In the last group, lanes past the last row repeat it; their residuals are masked out, so they add nothing to the
/// cost or the gradient. The four inference passes share one kernel, generic over the pass
/// (<c>AeGen.Internals.IKernelPass</c> says how the JIT gives each pass its own code); Backward has its own. Where rows are so short that four or more fit in one
/// 512-bit vector, the kernels hand over to <see cref="PackedRowKernelEmitter"/>'s when <c>Vector512</c> is
/// accelerated; this code stays for every other machine.
/// </summary>
internal sealed class UnrolledKernelEmitter(EmissionContext c)
{
    private const string Unsafe = KnownTypes.KernelScope.Unsafe;
    private const string Math = KnownTypes.KernelScope.Math;
    private const string V = KnownTypes.KernelScope.Vector256;
    private const string Sigmoid = KnownTypes.KernelScope.Sigmoid;
    private const string SigmoidGradient = KnownTypes.KernelScope.SigmoidGradient;
    private const string Gather = KnownTypes.KernelScope.Gather;
    private const string Scatter = KnownTypes.KernelScope.Scatter;
    private const string Sums = KnownTypes.KernelScope.Sums;
    private const string StartsFromCodes = KnownTypes.KernelScope.StartsFromCodes;
    private const string StopsAtCodes = KnownTypes.KernelScope.StopsAtCodes;
    private const string ReturnsCost = KnownTypes.KernelScope.ReturnsCost;

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
    private readonly bool _packed = PackedRowKernelEmitter.Applies(c.Spec, c.Scalar);
    private readonly bool _packedBackward = PackedRowKernelEmitter.AppliesToBackward(c.Spec, c.Scalar);

    /// <summary>A weight matrix in the parameters: where it starts, and how many columns each of its rows has.</summary>
    private readonly record struct Weights(int Start, int Columns);

    private Weights W1 => new(0, _k);

    private Weights W2 => new(c.Spec.W2Offset, _n);

    private Weights W3 => new(c.Spec.W3Offset, _n);

    private string T => _t.Name;

    private int G => _t.Lanes;

    /// <summary><c>Vector256&lt;T&gt;</c> as the kernels spell it.</summary>
    private string Vec => V + "<" + T + ">";

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
        _w.Summary(Invariant($"The kernels of the {_n}×{_k} {T} model {c.Spec.ClassName}: every product written out."));
        _w.Line(c.GeneratedCode);
        _w.Open("file static class " + c.KernelClass);
        _w.Line(Invariant($"private const int Inputs = {_n}, Hidden = {_k};"));
        _w.Line();
        _w.Line("// The parameters are read from p, their first element: " + c.ParameterMap + ".");
        _w.Line(c.TensorStarts);
        _w.Line();
        WritePass();
        cancellationToken.ThrowIfCancellationRequested();
        WriteBackward();
        if (_packed)
        {
            PackedRowKernelEmitter.Write(c);
        }

        _w.Close();
        _w.Close();
    }

    /// <summary>
    /// Forward, Encode, Decode and Cost as one kernel, generic over the pass: it gathers samples (or codes) into
    /// lanes, runs the layers the pass has, and writes the result through a small buffer or adds up the cost.
    /// </summary>
    private void WritePass()
    {
        string tail = Invariant($"ref {T} input, ref {T} output, int m)");
        const string Constraint = "where TPass : struct, IKernelPass";
        if (_packed)
        {
            _w.Summary("Forward, Encode, Decode or Cost (which writes S to output) for m rows, as TPass says: rows packed in 512-bit vectors where those are accelerated, else a row per lane.");
            _w.Line(Invariant($"public static void Run<TPass>({T}[] parameters, {tail}"));
            _w.Line("    " + Constraint);
            _w.Open("");
            UseParameters();
            _w.Open(Invariant($"if ({KnownTypes.KernelScope.Vector512}.IsHardwareAccelerated)"));
            _w.Line(Invariant($"{PackedRowKernelEmitter.ClassName}.Run<TPass>(ref p, ref input, ref output, m);"));
            _w.Line("return;");
            _w.Close();
            _w.Line();
            _w.Line("RunLanes<TPass>(ref p, ref input, ref output, m);");
            _w.Close();
            _w.Line();
        }

        _w.Summary(Invariant($"Forward, Encode, Decode or Cost (which writes S to output) for m rows, as TPass says: {G} rows at a time, a row per lane."));
        _w.NeverInlined();
        _w.Line(_packed ? Invariant($"private static void RunLanes<TPass>(ref {T} p, {tail}") : Invariant($"public static void Run<TPass>({T}[] parameters, {tail}"));
        _w.Line("    " + Constraint);
        _w.Open("");
        if (!_packed)
        {
            UseParameters();
        }

        _w.Line(Invariant($"int width = {StartsFromCodes} ? Hidden : Inputs;"));
        _w.Line("// The results of a group, lane by lane, on their way back to rows (none for the cost); one size per pass.");
        _w.Line(Invariant($"Span<{T}> lanes = {ReturnsCost} ? default : {StopsAtCodes} ? stackalloc {T}[{G} * Hidden] : stackalloc {T}[{G} * Inputs];"));
        _w.Line(Invariant($"ref {T} lanesOut = ref {KnownTypes.KernelScope.Marshal}.GetReference(lanes);"));
        _w.Line("double sum = 0;");
        _w.Open(Invariant($"for (int r = 0; r < m; r += {G})"));
        _w.Line(Invariant($"int rows = {Math}.Min({G}, m - r);"));
        string lanes = GatherOffsets("input", "width");
        _w.Line(Vec + " " + SourceWriter.Fill(Names("x", _n).Select(x => x + " = default").ToList(), ", ") + ";");
        _w.Line(Vec + " " + SourceWriter.Fill(Names("h1", _k).ToList(), ", ") + ";");
        _w.Open(Invariant($"if ({StartsFromCodes})"));
        _w.Line("// H1, the codes the pass starts from");
        for (int j = 0; j < _k; j++)
        {
            _w.Line(Invariant($"h1_{j} = {Gather}(ref rowsStart, {j}, {lanes});"));
        }

        _w.Close();
        _w.Open("else");
        for (int i = 0; i < _n; i++)
        {
            _w.Line(Invariant($"x_{i} = {Gather}(ref rowsStart, {i}, {lanes});"));
        }

        _w.Line("// H1 = σ(X·W1 + b1)");
        for (int j = 0; j < _k; j++)
        {
            _w.Line(Invariant($"h1_{j} = {Sigmoid}({Affine("x", W1, c.Spec.B1Offset, _n, j)});"));
        }

        _w.Close();
        _w.Line();
        _w.Open(Invariant($"if ({StopsAtCodes})"));
        StoreLanes(Names("h1", _k));
        _w.Line(Invariant($"{Scatter}(ref lanesOut, ref {Unsafe}.Add(ref output, r * Hidden), rows, Hidden);"));
        _w.Line("continue;");
        _w.Close();
        _w.Line();
        Layer2();
        _w.Open(Invariant($"if ({ReturnsCost})"));
        Residuals("x", "X");
        _w.Close();
        _w.Open("else");
        _w.Line("// X̂ = H2·W3 + b3");
        StoreLanes(Enumerable.Range(0, _n).Select(j => Affine("h2", W3, c.Spec.B3Offset, _n, j)));
        _w.Line(Invariant($"{Scatter}(ref lanesOut, ref {Unsafe}.Add(ref output, r * Inputs), rows, Inputs);"));
        _w.Close();
        _w.Close();
        _w.Line();
        WriteCost();
        _w.Close();
        _w.Line();
    }

    /// <summary>The cost pass's one result, S, written to output.</summary>
    private void WriteCost()
    {
        _w.Open(Invariant($"if ({ReturnsCost})"));
        _w.Line(Invariant($"output = ({T})(sum / (2.0 * m));"));
        _w.Close();
    }

    private void WriteBackward()
    {
        string tail = Invariant($"ref {T} x, ref {T} target, ref {T} gradient, int m)");
        if (_packedBackward)
        {
            _w.Summary("Cost and gradient over m rows: rows packed in 512-bit vectors where those are accelerated, else a row per lane.");
            _w.Open(Invariant($"public static {T} Backward({T}[] parameters, {tail}"));
            UseParameters();
            _w.Line(Invariant($"return {KnownTypes.KernelScope.Vector512}.IsHardwareAccelerated ? {PackedRowKernelEmitter.ClassName}.Backward(ref p, ref x, ref target, ref gradient, m) : BackwardLanes(ref p, ref x, ref target, ref gradient, m);"));
            _w.Close();
            _w.Line();
        }

        _w.Summary("Cost and gradient over m rows: each lane accumulates its rows' share of every parameter's gradient; the lanes are summed at the end.");
        _w.NeverInlined();
        _w.Open(_packedBackward ? Invariant($"private static {T} BackwardLanes(ref {T} p, {tail}") : Invariant($"public static {T} Backward({T}[] parameters, {tail}"));
        if (!_packedBackward)
        {
            UseParameters();
        }

        _w.Line("// Gradient accumulators, one vector per parameter.");
        foreach (IReadOnlyList<string> row in Tensors("g"))
        {
            _w.Line(Vec + " " + SourceWriter.Fill(row.Select(v => v + " = default").ToList(), ", ") + ";");
        }

        _w.Line(Invariant($"{Vec} invM = {V}.Create({_t.One} / m);"));
        _w.Line("double sum = 0;");
        // The target is read only where it is not the input itself (a denoising Backward): the plain Backward reads x once.
        _w.Line(Invariant($"bool denoising = !{Unsafe}.AreSame(ref x, ref target);"));
        _w.Open(Invariant($"for (int r = 0; r < m; r += {G})"));
        _w.Line(Invariant($"int rows = {Math}.Min({G}, m - r);"));
        string lanes = GatherOffsets("x", "Inputs");
        _w.Line(Invariant($"ref {T} targetStart = ref {Unsafe}.Add(ref target, r * Inputs);"));
        for (int i = 0; i < _n; i++)
        {
            _w.Line(Invariant($"{Vec} x_{i} = {Gather}(ref rowsStart, {i}, {lanes}), t_{i} = denoising ? {Gather}(ref targetStart, {i}, {lanes}) : x_{i};"));
        }

        _w.Line("// H1 = σ(X·W1 + b1)");
        for (int j = 0; j < _k; j++)
        {
            _w.Line(Invariant($"{Vec} h1_{j} = {Sigmoid}({Affine("x", W1, c.Spec.B1Offset, _n, j)});"));
        }

        Layer2();
        Residuals("t", "target");
        _w.Line("// dX̂ = (X̂ − target)/m");
        _w.Line(Vec + " " + SourceWriter.Fill(Enumerable.Range(0, _n).Select(j => Invariant($"d_{j} = e_{j} * invM")).ToList(), ", ") + ";");
        _w.Line("// dW3 += H2ᵀ·dX̂, db3 += colsum(dX̂)");
        Accumulate("gw3", "h2", _n, "d", _n);
        _w.Statements(Enumerable.Range(0, _n).Select(j => Invariant($"gb3_{j} += d_{j};")).ToList());
        _w.Line("// dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ)");
        BackDot("dz2", "h2", "d", W3, _n, _n);
        _w.Line("// dW2 += H1ᵀ·dZ2, db2 += colsum(dZ2)");
        Accumulate("gw2", "h1", _k, "dz2", _n);
        _w.Statements(Enumerable.Range(0, _n).Select(j => Invariant($"gb2_{j} += dz2_{j};")).ToList());
        _w.Line("// dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ)");
        BackDot("dz1", "h1", "dz2", W2, _k, _n);
        _w.Line("// dW1 += Xᵀ·dZ1, db1 += colsum(dZ1)");
        Accumulate("gw1", "x", _n, "dz1", _k);
        _w.Statements(Enumerable.Range(0, _k).Select(j => Invariant($"gb1_{j} += dz1_{j};")).ToList());
        _w.Close();
        _w.Line();
        _w.Line(Invariant($"// Each parameter's gradient is the sum over the lanes: {G} parameters' sums at a time, then one at a time."));
        List<string> all = Tensors("g").SelectMany(row => row).ToList();
        int whole = all.Count / G * G;
        for (int i = 0; i < whole; i += G)
        {
            _w.Line(Invariant($"{V}.StoreUnsafe({Sums}({string.Join(", ", all.Skip(i).Take(G))}), ref gradient, {i});"));
        }

        for (int i = whole; i < all.Count; i++)
        {
            _w.Line(Invariant($"{Unsafe}.Add(ref gradient, {i}) = {V}.Sum({all[i]});"));
        }

        _w.Line(Invariant($"return ({T})(sum / (2.0 * m));"));
        _w.Close();
        _w.Line();
    }

    /// <summary><c>p</c>, the parameters' first element, which every index of the kernels counts from.</summary>
    private void UseParameters() =>
        _w.Line(Invariant($"ref {T} p = ref {KnownTypes.KernelScope.Marshal}.GetArrayDataReference(parameters);"));

    /// <summary>Every parameter's name (prefixed), tensor by tensor, a list per matrix row or bias.</summary>
    private IEnumerable<IReadOnlyList<string>> Tensors(string prefix) =>
        Rows(prefix + "w1", _n, _k).Append(Names(prefix + "b1", _k))
            .Concat(Rows(prefix + "w2", _k, _n)).Append(Names(prefix + "b2", _n))
            .Concat(Rows(prefix + "w3", _n, _n)).Append(Names(prefix + "b3", _n));

    /// <summary>Element (i, j) of <paramref name="weights"/>, as the kernels spell its index ("W3 + 2").</summary>
    private string Weight(Weights weights, int i, int j) => c.Label(weights.Start + (i * weights.Columns) + j);

    private void StoreLanes(IEnumerable<string> values)
    {
        int j = 0;
        foreach (string value in values)
        {
            _w.Line(Invariant($"{V}.StoreUnsafe({value}, ref lanesOut, {j * G});"));
            j++;
        }
    }

    private void Layer2()
    {
        _w.Line("// H2 = σ(H1·W2 + b2)");
        for (int j = 0; j < _n; j++)
        {
            _w.Line(Invariant($"{Vec} h2_{j} = {Sigmoid}({Affine("h1", W2, c.Spec.B2Offset, _k, j)});"));
        }
    }

    /// <summary>
    /// e = X̂ − target for the group's rows (zero in padding lanes), and Σe² added to <c>sum</c>; the target's locals
    /// are <paramref name="target"/>_j, named <paramref name="meaning"/> in the comment.
    /// </summary>
    private void Residuals(string target, string meaning)
    {
        _w.Line(Invariant($"{Vec} live = {V}.LessThan({Vec}.Indices, {V}.Create(({T})rows));"));
        _w.Line(Invariant($"// E = X̂ − {meaning}, with X̂ = H2·W3 + b3; lanes past the last row are padding and count as zero"));
        for (int j = 0; j < _n; j++)
        {
            _w.Line(Invariant($"{Vec} e_{j} = ({Affine("h2", W3, c.Spec.B3Offset, _n, j)} - {target}_{j}) & live;"));
        }

        _w.Line(Invariant($"sum += {V}.Sum(") + SourceWriter.Fill(Enumerable.Range(0, _n).Select(j => Invariant($"e_{j} * e_{j}")).ToList(), " + ") + ");");
    }

    /// <summary>
    /// b_j + Σ_i in_i·W[i, j] as one expression: a chain of fused multiply-adds starting from the bias (the JIT does
    /// not fuse <c>a * b + c</c> itself). Each parameter is broadcast where it is used: the JIT folds the broadcast
    /// into the instruction that uses it, whereas vectors held for the whole call outnumbered the registers and were
    /// spilled to the stack.
    /// </summary>
    private string Affine(string input, Weights weights, int bias, int inputs, int j) => SourceWriter.Chain(
        Enumerable.Range(0, inputs).Reverse().Select(i => Invariant($"{V}.MultiplyAddEstimate({input}_{i}, {Param(Weight(weights, i, j))}, ")).ToList(),
        Param(c.Label(bias + j)));

    /// <summary>
    /// The parameter at <paramref name="index"/>, broadcast, spelled with intrinsics alone: the JIT stops inlining a
    /// method once it has some hundreds of locals, and each inlined helper adds some, so in the largest unrolled
    /// kernels a helper here became hundreds of calls (and then so did the sigmoid's own helpers).
    /// </summary>
    private static string Param(string index) => Invariant($"{V}.Create({Unsafe}.Add(ref p, {index}))");

    /// <summary>
    /// Declares <c>rowsStart</c>, the group's first row of <paramref name="source"/>, and the offsets o1… of the
    /// group's other rows from it, and returns them as <c>Gather</c>'s arguments. A lane past the last row reads the
    /// last row again, so every read is in bounds; those lanes are padding, never written back, and masked out of the
    /// cost and the gradient.
    /// </summary>
    private string GatherOffsets(string source, string width)
    {
        _w.Line("int last = rows - 1;");
        _w.Line(Invariant($"ref {T} rowsStart = ref {Unsafe}.Add(ref {source}, r * {width});"));
        IEnumerable<string> offsets = Enumerable.Range(1, G - 1).Select(l => Invariant($"o{l} = (nint){Math}.Min({l}, last) * {width}"));
        foreach (IEnumerable<string> line in offsets.Select((o, l) => (o, l)).GroupBy(o => o.l / 4, o => o.o))
        {
            _w.Line("nint " + string.Join(", ", line) + ";");
        }

        return string.Join(", ", Enumerable.Range(1, G - 1).Select(l => Invariant($"o{l}")));
    }

    /// <summary>g_i_j += a_i·d_j for every i, j: for each i, as many to a line as fit.</summary>
    private void Accumulate(string gradient, string a, int rows, string d, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            _w.Statements(Enumerable.Range(0, cols).Select(j => Invariant($"{gradient}_{i}_{j} = {V}.MultiplyAddEstimate({a}_{i}, {d}_{j}, {gradient}_{i}_{j});")).ToList());
        }
    }

    /// <summary>dz_i = h_i(1 − h_i)·Σ_j d_j·W[i, j]: the error sent back through a weight matrix and a sigmoid.</summary>
    private void BackDot(string output, string h, string d, Weights weights, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            string dot = SourceWriter.Chain(
                Enumerable.Range(1, cols - 1).Reverse().Select(j => Invariant($"{V}.MultiplyAddEstimate({d}_{j}, {Param(Weight(weights, i, j))}, ")).ToList(),
                Invariant($"{d}_0 * {Param(Weight(weights, i, 0))}"));
            _w.Line(Invariant($"{Vec} {output}_{i} = {SigmoidGradient}({h}_{i}, {dot});"));
        }
    }

    private static IReadOnlyList<string> Names(string name, int length) =>
        Enumerable.Range(0, length).Select(j => Invariant($"{name}_{j}")).ToList();

    private static IEnumerable<IReadOnlyList<string>> Rows(string name, int rows, int cols) =>
        Enumerable.Range(0, rows).Select(i => (IReadOnlyList<string>)Enumerable.Range(0, cols).Select(j => Invariant($"{name}_{i}_{j}")).ToList());
}
