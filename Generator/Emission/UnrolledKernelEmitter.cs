using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AeGen.Generator.Model;
using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// Kernels for small models: every product is written out, and each SIMD lane carries one row of the batch, so a
/// group of 8 rows (4 in double) goes through straight-line code together. Each parameter is broadcast where it is
/// used; a group's rows are gathered into lanes on the way in and stored back through a small buffer on the way out.
/// In the last group, lanes past the last row repeat it; their residuals are masked out, so they add nothing to the
/// cost or the gradient. Where rows are so short that four or more fit in one 512-bit vector, the inference kernels
/// hand over to <see cref="PackedRowKernelEmitter"/>'s when <c>Vector512</c> is accelerated; this code stays for
/// training and for every other machine.
/// </summary>
internal sealed class UnrolledKernelEmitter(SourceWriter w, AutoencoderSpec spec, ScalarType t, string generatedCode)
{
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string V = "global::System.Runtime.Intrinsics.Vector256";
    private const string Sigmoid = "global::AeGen.Internals.Activation.Sigmoid";
    private const string Lanes = "global::AeGen.Internals.Lanes";

    private readonly int _n = spec.Inputs;
    private readonly int _k = spec.Hidden;
    private readonly Dictionary<string, int> _offsets = [];
    private readonly bool _packed = PackedRowKernelEmitter.Applies(spec, t);

    private string T => t.Name;

    private int G => t.Lanes;

    public void Write(CancellationToken cancellationToken)
    {
        Kernel("void ForwardCore(ref " + T + " x, ref " + T + " xhat, int m)", "Forward for m rows, a group of rows at a time.", "Forward",
            ("x", "Inputs", _n), ("xhat", "Inputs", _n), allParameters: true, () =>
            {
                Layer1();
                Layer2();
                w.Line("// X̂ = H2·W3 + b3");
                StoreLanes(Enumerable.Range(0, _n).Select(j => Affine("h2", "w3", "b3", _n, j)));
            });
        cancellationToken.ThrowIfCancellationRequested();
        Kernel("void EncodeCore(ref " + T + " x, ref " + T + " code, int m)", "Encode for m rows, a group of rows at a time.", "Encode",
            ("x", "Inputs", _n), ("code", "Hidden", _k), allParameters: false, () =>
            {
                Layer1();
                StoreLanes(Names("h1", _k));
            });
        Kernel("void DecodeCore(ref " + T + " code, ref " + T + " xhat, int m)", "Decode for m rows, a group of rows at a time.", "Decode",
            ("code", "Hidden", _k), ("xhat", "Inputs", _n), allParameters: true, () =>
            {
                Layer2();
                w.Line("// X̂ = H2·W3 + b3");
                StoreLanes(Enumerable.Range(0, _n).Select(j => Affine("h2", "w3", "b3", _n, j)));
            });
        cancellationToken.ThrowIfCancellationRequested();
        WriteCost();
        WriteBackward();
        if (_packed)
        {
            PackedRowKernelEmitter.Write(w, spec, t, generatedCode);
        }
    }

    /// <summary>
    /// A kernel that reads one row block and, unless <paramref name="output"/> is null, writes another; where the
    /// packed-row kernels apply, it runs <paramref name="packed"/> instead when <c>Vector512</c> is accelerated.
    /// </summary>
    private void Kernel(string signature, string summary, string packed, (string Name, string Width, int Size) input, (string Name, string Width, int Size)? output, bool allParameters, System.Action body)
    {
        if (_packed)
        {
            string arguments = output is { } written ? Invariant($"ref {input.Name}, ref {written.Name}, m") : Invariant($"ref {input.Name}, m");
            signature = WriteDispatchingCore(signature, summary, packed, arguments, returnsValue: output is null);
            summary = summary.Replace("at a time.", "at a time, one row per lane.");
        }

        Begin(signature, summary, neverInlined: true);
        if (allParameters)
        {
            UseAllParameters();
        }
        else
        {
            UseEncoderParameters();
        }

        if (output is { } o)
        {
            w.Line(Invariant($"global::System.Span<{T}> lanes = stackalloc {T}[{G} * {o.Width}];"));
            w.Line(Invariant($"ref {T} lanesOut = ref {Marshal}.GetReference(lanes);"));
        }

        bool returnsCost = output is null;
        if (returnsCost)
        {
            w.Line("double sum = 0;");
        }

        w.Open(Invariant($"for (int r = 0; r < m; r += {G})"));
        w.Line(Invariant($"int rows = global::System.Math.Min({G}, m - r);"));
        GatherLanes(input.Name, input.Width, input.Size, input.Name == "code" ? "h1" : "x");
        body();
        if (output is { } target)
        {
            w.Line(Invariant($"{Lanes}.Scatter(ref lanesOut, ref {Unsafe}.Add(ref {target.Name}, r * {target.Width}), rows, {target.Width});"));
        }

        w.Close();
        if (returnsCost)
        {
            w.Line(Invariant($"return ({T})(sum / (2.0 * m));"));
        }

        w.Close();
        w.Line();
    }

    private void WriteCost() =>
        Kernel(T + " CostCore(ref " + T + " x, int m)", "The cost over m rows, a group of rows at a time.", "Cost", ("x", "Inputs", _n), null, allParameters: true, () =>
        {
            Layer1();
            Layer2();
            Residuals();
        });

    private void WriteBackward()
    {
        string signature = T + " BackwardCore(ref " + T + " x, ref " + T + " gradient, int m)";
        if (PackedRowKernelEmitter.AppliesToBackward(spec, t))
        {
            signature = WriteDispatchingCore(signature, "Cost and gradient over m rows.", "Backward", "ref x, ref gradient, m", returnsValue: true);
        }

        Begin(signature,
            "Cost and gradient over m rows: each lane accumulates its rows' share of every parameter's gradient; the lanes are summed at the end.",
            neverInlined: true);
        UseAllParameters();
        w.Line("// Gradient accumulators, one vector per parameter.");
        foreach (IReadOnlyList<string> row in Tensors("g"))
        {
            w.Line(t.Vector + " " + string.Join(", ", row.Select(v => v + " = default")) + ";");
        }

        w.Line(Invariant($"{t.Vector} invM = {V}.Create({t.One} / m);"));
        w.Line("double sum = 0;");
        w.Open(Invariant($"for (int r = 0; r < m; r += {G})"));
        w.Line(Invariant($"int rows = global::System.Math.Min({G}, m - r);"));
        GatherLanes("x", "Inputs", _n, "x");
        Layer1();
        Layer2();
        Residuals();
        w.Line("// dX̂ = (X̂ − X)/m");
        w.Line(t.Vector + " " + string.Join(", ", Enumerable.Range(0, _n).Select(j => Invariant($"d_{j} = e_{j} * invM"))) + ";");
        w.Line("// dW3 += H2ᵀ·dX̂, db3 += colsum(dX̂)");
        Accumulate("gw3", "h2", _n, "d", _n);
        w.Line(string.Join(" ", Enumerable.Range(0, _n).Select(j => Invariant($"gb3_{j} += d_{j};"))));
        w.Line("// dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ)");
        BackDot("dz2", "h2", "d", "w3", _n, _n);
        w.Line("// dW2 += H1ᵀ·dZ2, db2 += colsum(dZ2)");
        Accumulate("gw2", "h1", _k, "dz2", _n);
        w.Line(string.Join(" ", Enumerable.Range(0, _n).Select(j => Invariant($"gb2_{j} += dz2_{j};"))));
        w.Line("// dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ)");
        BackDot("dz1", "h1", "dz2", "w2", _k, _n);
        w.Line("// dW1 += Xᵀ·dZ1, db1 += colsum(dZ1)");
        Accumulate("gw1", "x", _n, "dz1", _k);
        w.Line(string.Join(" ", Enumerable.Range(0, _k).Select(j => Invariant($"gb1_{j} += dz1_{j};"))));
        w.Close();

        w.Line(Invariant($"// Each parameter's gradient is the sum over the lanes: {G} parameters' sums at a time, then one at a time."));
        List<string> all = Tensors("g").SelectMany(row => row).ToList();
        int whole = all.Count / G * G;
        for (int i = 0; i < whole; i += G)
        {
            w.Line(Invariant($"{V}.StoreUnsafe({Lanes}.Sums({string.Join(", ", all.Skip(i).Take(G))}), ref gradient, {i});"));
        }

        for (int i = whole; i < all.Count; i++)
        {
            w.Line(Invariant($"{Unsafe}.Add(ref gradient, {i}) = {V}.Sum({all[i]});"));
        }

        w.Line(Invariant($"return ({T})(sum / (2.0 * m));"));
        w.Close();
        w.Line();
    }

    /// <summary>
    /// Writes <paramref name="signature"/>'s method (kernel + "Core") as the dispatch alone: the packed-row kernel where
    /// <c>Vector512</c> is accelerated, else kernel + "Lanes", the row-per-lane kernel, whose signature it returns. The
    /// dispatch stays inlinable (on a 512-bit machine it folds to one call of the packed kernel); the row-per-lane
    /// kernel is a method of its own that is never inlined, as every kernel is.
    /// </summary>
    private string WriteDispatchingCore(string signature, string summary, string kernel, string arguments, bool returnsValue)
    {
        Begin(signature, summary);
        PackedRowKernelEmitter.WriteDispatch(w, kernel, arguments, returnsValue);
        w.Line(Invariant($"{(returnsValue ? "return " : "")}{kernel}Lanes({arguments});"));
        w.Close();
        w.Line();
        return signature.Replace(kernel + "Core(", kernel + "Lanes(");
    }

    private void Begin(string signature, string summary, bool neverInlined = false)
    {
        w.Summary(summary);
        w.Line(generatedCode);
        if (neverInlined)
        {
            w.NeverInlined();
        }

        w.Open("private " + signature);
    }

    /// <summary>Every parameter's name (prefixed), tensor by tensor, a list per matrix row or bias.</summary>
    private IEnumerable<IReadOnlyList<string>> Tensors(string prefix) =>
        Rows(prefix + "w1", _n, _k).Append(Names(prefix + "b1", _k))
            .Concat(Rows(prefix + "w2", _k, _n)).Append(Names(prefix + "b2", _n))
            .Concat(Rows(prefix + "w3", _n, _n)).Append(Names(prefix + "b3", _n));

    private void UseEncoderParameters()
    {
        w.Line(Invariant($"ref {T} p = ref {Marshal}.GetArrayDataReference(_parameters);"));
        Register("w1", 0, _n, _k);
        RegisterBias("b1", spec.B1Offset, _k);
    }

    private void UseAllParameters()
    {
        UseEncoderParameters();
        Register("w2", spec.W2Offset, _k, _n);
        RegisterBias("b2", spec.B2Offset, _n);
        Register("w3", spec.W3Offset, _n, _n);
        RegisterBias("b3", spec.B3Offset, _n);
    }

    /// <summary>Records where each element name_i_j of a row-major matrix lives in the parameters.</summary>
    private void Register(string name, int offset, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                _offsets[Invariant($"{name}_{i}_{j}")] = offset + (i * cols) + j;
            }
        }
    }

    /// <summary>Records where each element name_j of a bias lives in the parameters.</summary>
    private void RegisterBias(string name, int offset, int length)
    {
        for (int j = 0; j < length; j++)
        {
            _offsets[Invariant($"{name}_{j}")] = offset + j;
        }
    }

    /// <summary>
    /// A parameter broadcast to every lane, read where it is used: the JIT folds the broadcast into the instruction that
    /// uses it, whereas vectors held for the whole call outnumbered the registers and were spilled to the stack.
    /// </summary>
    private string Param(string name) => Invariant($"{V}.Create({Unsafe}.Add(ref p, {_offsets[name]}))");

    private void StoreLanes(IEnumerable<string> values)
    {
        int j = 0;
        foreach (string value in values)
        {
            w.Line(Invariant($"{V}.StoreUnsafe({value}, ref lanesOut, {j * G});"));
            j++;
        }
    }

    private void Layer1()
    {
        w.Line("// H1 = σ(X·W1 + b1)");
        for (int j = 0; j < _k; j++)
        {
            w.Line(Invariant($"{t.Vector} h1_{j} = {Sigmoid}({Affine("x", "w1", "b1", _n, j)});"));
        }
    }

    private void Layer2()
    {
        w.Line("// H2 = σ(H1·W2 + b2)");
        for (int j = 0; j < _n; j++)
        {
            w.Line(Invariant($"{t.Vector} h2_{j} = {Sigmoid}({Affine("h1", "w2", "b2", _k, j)});"));
        }
    }

    /// <summary>e = X̂ − X for the group's rows (zero in padding lanes), and Σe² added to <c>sum</c>.</summary>
    private void Residuals()
    {
        w.Line(Invariant($"{t.Vector} live = {V}.LessThan({t.Vector}.Indices, {V}.Create(({T})rows));"));
        w.Line("// E = X̂ − X, with X̂ = H2·W3 + b3; lanes past the last row are padding and count as zero");
        for (int j = 0; j < _n; j++)
        {
            w.Line(Invariant($"{t.Vector} e_{j} = ({Affine("h2", "w3", "b3", _n, j)} - x_{j}) & live;"));
        }

        w.Line(Invariant($"sum += {V}.Sum(") + string.Join(" + ", Enumerable.Range(0, _n).Select(j => Invariant($"e_{j} * e_{j}"))) + ");");
    }

    /// <summary>b_j + Σ_i in_i·W_i_j as one expression: a chain of fused multiply-adds starting from the bias.</summary>
    private string Affine(string input, string weights, string bias, int inputs, int j) =>
        MultiplyAdds(Param(Invariant($"{bias}_{j}")), Enumerable.Range(0, inputs).Select(i => (Invariant($"{input}_{i}"), Param(Invariant($"{weights}_{i}_{j}")))));

    /// <summary>start + Σ a·b over the pairs, as nested fused multiply-adds (the JIT does not fuse <c>a * b + c</c> itself).</summary>
    private static string MultiplyAdds(string start, IEnumerable<(string A, string B)> products) =>
        products.Aggregate(start, (sum, p) => Invariant($"{V}.MultiplyAddEstimate({p.A}, {p.B}, {sum})"));

    /// <summary>
    /// Loads the group's rows of <paramref name="source"/> (<paramref name="size"/> values each) into vectors
    /// prefix_i, one lane per row. A lane past the last row reads the last row again, so every read is in bounds;
    /// those lanes are padding, never written back, and masked out of the cost and the gradient.
    /// </summary>
    private void GatherLanes(string source, string width, int size, string prefix)
    {
        w.Line("int last = rows - 1;");
        w.Line(Invariant($"ref {T} rowsStart = ref {Unsafe}.Add(ref {source}, r * {width});"));
        w.Line("nint " + string.Join(", ", Enumerable.Range(1, G - 1).Select(l => Invariant($"o{l} = (nint)global::System.Math.Min({l}, last) * {width}"))) + ";");
        for (int i = 0; i < size; i++)
        {
            string lanes = string.Join(", ", Enumerable.Range(0, G).Select(l => l == 0
                ? Invariant($"{Unsafe}.Add(ref rowsStart, {i})")
                : Invariant($"{Unsafe}.Add(ref rowsStart, o{l} + {i})")));
            w.Line(Invariant($"{t.Vector} {prefix}_{i} = {V}.Create({lanes});"));
        }
    }

    /// <summary>g_i_j += a_i·d_j for every i, j: a line per i.</summary>
    private void Accumulate(string gradient, string a, int rows, string d, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            w.Line(string.Join(" ", Enumerable.Range(0, cols).Select(j => Invariant($"{gradient}_{i}_{j} = {V}.MultiplyAddEstimate({a}_{i}, {d}_{j}, {gradient}_{i}_{j});"))));
        }
    }

    /// <summary>dz_i = h_i(1 − h_i)·Σ_j d_j·W_i_j: the error sent back through a weight matrix and a sigmoid.</summary>
    private void BackDot(string output, string h, string d, string weights, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            string dot = MultiplyAdds(Invariant($"{d}_0 * {Param(Invariant($"{weights}_{i}_0"))}"), Enumerable.Range(1, cols - 1).Select(j => (Invariant($"{d}_{j}"), Param(Invariant($"{weights}_{i}_{j}")))));
            w.Line(Invariant($"{t.Vector} {output}_{i} = {h}_{i} * ({t.Vector}.One - {h}_{i}) * {dot};"));
        }
    }

    private static IReadOnlyList<string> Names(string name, int length) =>
        Enumerable.Range(0, length).Select(j => Invariant($"{name}_{j}")).ToList();

    private static IEnumerable<IReadOnlyList<string>> Rows(string name, int rows, int cols) =>
        Enumerable.Range(0, rows).Select(i => (IReadOnlyList<string>)Enumerable.Range(0, cols).Select(j => Invariant($"{name}_{i}_{j}")).ToList());
}
