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
internal sealed class UnrolledKernelEmitter(EmissionContext c)
{
    private const string Unsafe = KnownTypes.Unsafe;
    private const string Marshal = KnownTypes.Marshal;
    private const string V = KnownTypes.Vector256;
    private const string Sigmoid = KnownTypes.Sigmoid;
    private const string Lanes = KnownTypes.Lanes;

    private readonly SourceWriter _w = c.Writer;
    private readonly ScalarType _t = c.Scalar;
    private readonly int _n = c.Inputs;
    private readonly int _k = c.Hidden;
    private readonly bool _packed = PackedRowKernelEmitter.Applies(c.Spec, c.Scalar);

    /// <summary>A weight matrix in the parameters: where it starts, and how many columns each of its rows has.</summary>
    private readonly record struct Weights(int Start, int Columns);

    private Weights W1 => new(0, _k);

    private Weights W2 => new(c.Spec.W2Offset, _n);

    private Weights W3 => new(c.Spec.W3Offset, _n);

    private string T => _t.Name;

    private int G => _t.Lanes;

    public void Write(CancellationToken cancellationToken)
    {
        Kernel("void", "Forward", "ref " + T + " x, ref " + T + " xhat, int m", "Forward for m rows, a group of rows at a time",
            ("x", "Inputs", _n, "x"), ("xhat", "Inputs", _n), () =>
            {
                Layer1();
                Layer2();
                _w.Line("// X̂ = H2·W3 + b3");
                StoreLanes(Enumerable.Range(0, _n).Select(j => Affine("h2", W3, c.Spec.B3Offset, _n, j)));
            });
        cancellationToken.ThrowIfCancellationRequested();
        Kernel("void", "Encode", "ref " + T + " x, ref " + T + " code, int m", "Encode for m rows, a group of rows at a time",
            ("x", "Inputs", _n, "x"), ("code", "Hidden", _k), () =>
            {
                Layer1();
                StoreLanes(Names("h1", _k));
            });
        Kernel("void", "Decode", "ref " + T + " code, ref " + T + " xhat, int m", "Decode for m rows, a group of rows at a time",
            ("code", "Hidden", _k, "h1"), ("xhat", "Inputs", _n), () =>
            {
                Layer2();
                _w.Line("// X̂ = H2·W3 + b3");
                StoreLanes(Enumerable.Range(0, _n).Select(j => Affine("h2", W3, c.Spec.B3Offset, _n, j)));
            });
        cancellationToken.ThrowIfCancellationRequested();
        WriteCost();
        WriteBackward();
        if (_packed)
        {
            PackedRowKernelEmitter.Write(c);
        }
    }

    /// <summary>
    /// The kernel <paramref name="name"/>Core, which reads one row block (gathered into vectors named after
    /// <paramref name="input"/>'s prefix) and, unless <paramref name="output"/> is null, writes another. Where the
    /// packed-row kernels apply, <paramref name="name"/>Core only dispatches: to the packed-row kernel of that name
    /// when <c>Vector512</c> is accelerated, else to this code as <paramref name="name"/>Lanes.
    /// </summary>
    private void Kernel(string returns, string name, string parameters, string summary, (string Name, string Width, int Size, string Prefix) input, (string Name, string Width, int Size)? output, System.Action body)
    {
        string method = name + "Core";
        if (_packed)
        {
            string arguments = output is { } written ? Invariant($"ref {input.Name}, ref {written.Name}, m") : Invariant($"ref {input.Name}, m");
            WriteDispatchingCore(returns, name, parameters, summary + ".", arguments, returnsValue: output is null);
            (method, summary) = (name + "Lanes", summary + ", one row per lane.");
        }
        else
        {
            summary += ".";
        }

        Begin(returns + " " + method + "(" + parameters + ")", summary, neverInlined: true);
        UseParameters();

        if (output is { } o)
        {
            _w.Line(Invariant($"global::System.Span<{T}> lanes = stackalloc {T}[{G} * {o.Width}];"));
            _w.Line(Invariant($"ref {T} lanesOut = ref {Marshal}.GetReference(lanes);"));
        }

        bool returnsCost = output is null;
        if (returnsCost)
        {
            _w.Line("double sum = 0;");
        }

        _w.Open(Invariant($"for (int r = 0; r < m; r += {G})"));
        _w.Line(Invariant($"int rows = {KnownTypes.Math}.Min({G}, m - r);"));
        GatherLanes(input.Name, input.Width, input.Size, input.Prefix);
        body();
        if (output is { } target)
        {
            _w.Line(Invariant($"{Lanes}.Scatter(ref lanesOut, ref {Unsafe}.Add(ref {target.Name}, r * {target.Width}), rows, {target.Width});"));
        }

        _w.Close();
        if (returnsCost)
        {
            _w.Line(Invariant($"return ({T})(sum / (2.0 * m));"));
        }

        _w.Close();
        _w.Line();
    }

    private void WriteCost() =>
        Kernel(T, "Cost", "ref " + T + " x, int m", "The cost over m rows, a group of rows at a time", ("x", "Inputs", _n, "x"), null, () =>
        {
            Layer1();
            Layer2();
            Residuals();
        });

    private void WriteBackward()
    {
        string parameters = "ref " + T + " x, ref " + T + " gradient, int m";
        string method = "BackwardCore";
        if (PackedRowKernelEmitter.AppliesToBackward(c.Spec, _t))
        {
            WriteDispatchingCore(T, "Backward", parameters, "Cost and gradient over m rows.", "ref x, ref gradient, m", returnsValue: true);
            method = "BackwardLanes";
        }

        Begin(T + " " + method + "(" + parameters + ")",
            "Cost and gradient over m rows: each lane accumulates its rows' share of every parameter's gradient; the lanes are summed at the end.",
            neverInlined: true);
        UseParameters();
        _w.Line("// Gradient accumulators, one vector per parameter.");
        foreach (IReadOnlyList<string> row in Tensors("g"))
        {
            _w.Line(_t.Vector + " " + string.Join(", ", row.Select(v => v + " = default")) + ";");
        }

        _w.Line(Invariant($"{_t.Vector} invM = {V}.Create({_t.One} / m);"));
        _w.Line("double sum = 0;");
        _w.Open(Invariant($"for (int r = 0; r < m; r += {G})"));
        _w.Line(Invariant($"int rows = {KnownTypes.Math}.Min({G}, m - r);"));
        GatherLanes("x", "Inputs", _n, "x");
        Layer1();
        Layer2();
        Residuals();
        _w.Line("// dX̂ = (X̂ − X)/m");
        _w.Line(_t.Vector + " " + string.Join(", ", Enumerable.Range(0, _n).Select(j => Invariant($"d_{j} = e_{j} * invM"))) + ";");
        _w.Line("// dW3 += H2ᵀ·dX̂, db3 += colsum(dX̂)");
        Accumulate("gw3", "h2", _n, "d", _n);
        _w.Line(string.Join(" ", Enumerable.Range(0, _n).Select(j => Invariant($"gb3_{j} += d_{j};"))));
        _w.Line("// dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ)");
        BackDot("dz2", "h2", "d", W3, _n, _n);
        _w.Line("// dW2 += H1ᵀ·dZ2, db2 += colsum(dZ2)");
        Accumulate("gw2", "h1", _k, "dz2", _n);
        _w.Line(string.Join(" ", Enumerable.Range(0, _n).Select(j => Invariant($"gb2_{j} += dz2_{j};"))));
        _w.Line("// dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ)");
        BackDot("dz1", "h1", "dz2", W2, _k, _n);
        _w.Line("// dW1 += Xᵀ·dZ1, db1 += colsum(dZ1)");
        Accumulate("gw1", "x", _n, "dz1", _k);
        _w.Line(string.Join(" ", Enumerable.Range(0, _k).Select(j => Invariant($"gb1_{j} += dz1_{j};"))));
        _w.Close();

        _w.Line(Invariant($"// Each parameter's gradient is the sum over the lanes: {G} parameters' sums at a time, then one at a time."));
        List<string> all = Tensors("g").SelectMany(row => row).ToList();
        int whole = all.Count / G * G;
        for (int i = 0; i < whole; i += G)
        {
            _w.Line(Invariant($"{V}.StoreUnsafe({Lanes}.Sums({string.Join(", ", all.Skip(i).Take(G))}), ref gradient, {i});"));
        }

        for (int i = whole; i < all.Count; i++)
        {
            _w.Line(Invariant($"{Unsafe}.Add(ref gradient, {i}) = {V}.Sum({all[i]});"));
        }

        _w.Line(Invariant($"return ({T})(sum / (2.0 * m));"));
        _w.Close();
        _w.Line();
    }

    /// <summary>
    /// Writes <paramref name="kernel"/>Core as the dispatch alone: the packed-row kernel where <c>Vector512</c> is
    /// accelerated, else <paramref name="kernel"/>Lanes, the row-per-lane kernel. The dispatch stays inlinable (on a
    /// 512-bit machine it folds to one call of the packed kernel); the row-per-lane kernel is a method of its own that
    /// is never inlined, as every kernel is.
    /// </summary>
    private void WriteDispatchingCore(string returns, string kernel, string parameters, string summary, string arguments, bool returnsValue)
    {
        Begin(returns + " " + kernel + "Core(" + parameters + ")", summary);
        PackedRowKernelEmitter.WriteDispatch(_w, kernel, arguments, returnsValue);
        _w.Line(Invariant($"{(returnsValue ? "return " : "")}{kernel}Lanes({arguments});"));
        _w.Close();
        _w.Line();
    }

    private void Begin(string signature, string summary, bool neverInlined = false)
    {
        _w.Summary(summary);
        _w.Line(c.GeneratedCode);
        if (neverInlined)
        {
            _w.NeverInlined();
        }

        _w.Open("private " + signature);
    }

    /// <summary>Every parameter's name (prefixed), tensor by tensor, a list per matrix row or bias.</summary>
    private IEnumerable<IReadOnlyList<string>> Tensors(string prefix) =>
        Rows(prefix + "w1", _n, _k).Append(Names(prefix + "b1", _k))
            .Concat(Rows(prefix + "w2", _k, _n)).Append(Names(prefix + "b2", _n))
            .Concat(Rows(prefix + "w3", _n, _n)).Append(Names(prefix + "b3", _n));

    private void UseParameters()
    {
        _w.Line(Invariant($"ref {T} p = ref {Marshal}.GetArrayDataReference(_parameters);"));
        _w.Line("// Unsafe.Add(ref p, index): " + c.ParameterMap + ".");
    }

    /// <summary>
    /// A parameter broadcast to every lane, read where it is used: the JIT folds the broadcast into the instruction that
    /// uses it, whereas vectors held for the whole call outnumbered the registers and were spilled to the stack.
    /// </summary>
    private static string Param(int index) => Invariant($"{V}.Create({Unsafe}.Add(ref p, {index}))");

    /// <summary>Element (i, j) of <paramref name="weights"/>, broadcast.</summary>
    private static string Weight(Weights weights, int i, int j) => Param(weights.Start + (i * weights.Columns) + j);

    private void StoreLanes(IEnumerable<string> values)
    {
        int j = 0;
        foreach (string value in values)
        {
            _w.Line(Invariant($"{V}.StoreUnsafe({value}, ref lanesOut, {j * G});"));
            j++;
        }
    }

    private void Layer1()
    {
        _w.Line("// H1 = σ(X·W1 + b1)");
        for (int j = 0; j < _k; j++)
        {
            _w.Line(Invariant($"{_t.Vector} h1_{j} = {Sigmoid}({Affine("x", W1, c.Spec.B1Offset, _n, j)});"));
        }
    }

    private void Layer2()
    {
        _w.Line("// H2 = σ(H1·W2 + b2)");
        for (int j = 0; j < _n; j++)
        {
            _w.Line(Invariant($"{_t.Vector} h2_{j} = {Sigmoid}({Affine("h1", W2, c.Spec.B2Offset, _k, j)});"));
        }
    }

    /// <summary>e = X̂ − X for the group's rows (zero in padding lanes), and Σe² added to <c>sum</c>.</summary>
    private void Residuals()
    {
        _w.Line(Invariant($"{_t.Vector} live = {V}.LessThan({_t.Vector}.Indices, {V}.Create(({T})rows));"));
        _w.Line("// E = X̂ − X, with X̂ = H2·W3 + b3; lanes past the last row are padding and count as zero");
        for (int j = 0; j < _n; j++)
        {
            _w.Line(Invariant($"{_t.Vector} e_{j} = ({Affine("h2", W3, c.Spec.B3Offset, _n, j)} - x_{j}) & live;"));
        }

        _w.Line(Invariant($"sum += {V}.Sum(") + string.Join(" + ", Enumerable.Range(0, _n).Select(j => Invariant($"e_{j} * e_{j}"))) + ");");
    }

    /// <summary>b_j + Σ_i in_i·W[i, j] as one expression: a chain of fused multiply-adds starting from the bias.</summary>
    private static string Affine(string input, Weights weights, int bias, int inputs, int j) =>
        MultiplyAdds(Param(bias + j), Enumerable.Range(0, inputs).Select(i => (Invariant($"{input}_{i}"), Weight(weights, i, j))));

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
        _w.Line("int last = rows - 1;");
        _w.Line(Invariant($"ref {T} rowsStart = ref {Unsafe}.Add(ref {source}, r * {width});"));
        _w.Line("nint " + string.Join(", ", Enumerable.Range(1, G - 1).Select(l => Invariant($"o{l} = (nint){KnownTypes.Math}.Min({l}, last) * {width}"))) + ";");
        for (int i = 0; i < size; i++)
        {
            string lanes = string.Join(", ", Enumerable.Range(0, G).Select(l => l == 0
                ? Invariant($"{Unsafe}.Add(ref rowsStart, {i})")
                : Invariant($"{Unsafe}.Add(ref rowsStart, o{l} + {i})")));
            _w.Line(Invariant($"{_t.Vector} {prefix}_{i} = {V}.Create({lanes});"));
        }
    }

    /// <summary>g_i_j += a_i·d_j for every i, j: a line per i.</summary>
    private void Accumulate(string gradient, string a, int rows, string d, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            _w.Line(string.Join(" ", Enumerable.Range(0, cols).Select(j => Invariant($"{gradient}_{i}_{j} = {V}.MultiplyAddEstimate({a}_{i}, {d}_{j}, {gradient}_{i}_{j});"))));
        }
    }

    /// <summary>dz_i = h_i(1 − h_i)·Σ_j d_j·W[i, j]: the error sent back through a weight matrix and a sigmoid.</summary>
    private void BackDot(string output, string h, string d, Weights weights, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            string dot = MultiplyAdds(Invariant($"{d}_0 * {Weight(weights, i, 0)}"), Enumerable.Range(1, cols - 1).Select(j => (Invariant($"{d}_{j}"), Weight(weights, i, j))));
            _w.Line(Invariant($"{_t.Vector} {output}_{i} = {h}_{i} * ({_t.Vector}.One - {h}_{i}) * {dot};"));
        }
    }

    private static IReadOnlyList<string> Names(string name, int length) =>
        Enumerable.Range(0, length).Select(j => Invariant($"{name}_{j}")).ToList();

    private static IEnumerable<IReadOnlyList<string>> Rows(string name, int rows, int cols) =>
        Enumerable.Range(0, rows).Select(i => (IReadOnlyList<string>)Enumerable.Range(0, cols).Select(j => Invariant($"{name}_{i}_{j}")).ToList());
}
