using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AeGen.Generator.Model;
using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// Kernels for small models: every product is written out as a scalar expression over locals, so the
/// parameters sit in registers or on the stack for the whole batch and nothing loops over n or k.
/// One row of the batch is one pass through straight-line code.
/// </summary>
internal sealed class UnrolledKernelEmitter(SourceWriter w, AutoencoderSpec spec, ScalarType t, string generatedCode)
{
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Sigmoid = "global::AeGen.Internals.Activation.Sigmoid";

    private readonly int _n = spec.Inputs;
    private readonly int _k = spec.Hidden;

    public void Write(CancellationToken cancellationToken)
    {
        WriteForward();
        cancellationToken.ThrowIfCancellationRequested();
        WriteEncode();
        WriteDecode();
        cancellationToken.ThrowIfCancellationRequested();
        WriteCost();
        WriteBackward();
    }

    private void WriteForward()
    {
        Begin("void ForwardCore(ref " + t.Name + " x, ref " + t.Name + " xhat, int m)", "Forward for m rows, one row at a time.");
        LoadAll();
        w.Open("for (int r = 0; r < m; r++)");
        LoadRow("x", "x", _n);
        Layer1();
        Layer2("h1");
        Output("xhat", declare: false);
        w.Close();
        w.Close();
        w.Line();
    }

    private void WriteEncode()
    {
        Begin("void EncodeCore(ref " + t.Name + " x, ref " + t.Name + " code, int m)", "Encode for m rows, one row at a time.");
        w.Line("global::System.ReadOnlySpan<" + t.Name + "> p = _parameters;");
        LoadMatrix("w1", "W1Offset", 0, _n, _k);
        LoadVector("b1", "B1Offset", spec.Inputs * spec.Hidden, _k);
        w.Open("for (int r = 0; r < m; r++)");
        LoadRow("x", "x", _n);
        Layer1();
        StoreRow("code", "h1", _k);
        w.Close();
        w.Close();
        w.Line();
    }

    private void WriteDecode()
    {
        Begin("void DecodeCore(ref " + t.Name + " code, ref " + t.Name + " xhat, int m)", "Decode for m rows, one row at a time.");
        w.Line("global::System.ReadOnlySpan<" + t.Name + "> p = _parameters;");
        LoadDecoder();
        w.Open("for (int r = 0; r < m; r++)");
        LoadRow("code", "h1", _k);
        Layer2("h1");
        Output("xhat", declare: false);
        w.Close();
        w.Close();
        w.Line();
    }

    private void WriteCost()
    {
        Begin(t.Name + " CostCore(ref " + t.Name + " x, int m)", "The cost over m rows, one row at a time.");
        LoadAll();
        w.Line("double sum = 0;");
        w.Open("for (int r = 0; r < m; r++)");
        LoadRow("x", "x", _n);
        Layer1();
        Layer2("h1");
        Residuals();
        w.Close();
        w.Line(Invariant($"return ({t.Name})(sum / (2.0 * m));"));
        w.Close();
        w.Line();
    }

    private void WriteBackward()
    {
        Begin(t.Name + " BackwardCore(ref " + t.Name + " x, ref " + t.Name + " gradient, int m)",
            "Cost and gradient over m rows: accumulators for every parameter live in locals until the end.");
        LoadAll();
        w.Line("// Gradient accumulators, one per parameter.");
        foreach (string line in Rows("gw1", _n, _k).Select(row => t.Name + " " + string.Join(", ", row.Select(v => v + " = 0")) + ";"))
        {
            w.Line(line);
        }

        w.Line(t.Name + " " + string.Join(", ", Names("gb1", _k).Select(v => v + " = 0")) + ";");
        foreach (string line in Rows("gw2", _k, _n).Select(row => t.Name + " " + string.Join(", ", row.Select(v => v + " = 0")) + ";"))
        {
            w.Line(line);
        }

        w.Line(t.Name + " " + string.Join(", ", Names("gb2", _n).Select(v => v + " = 0")) + ";");
        foreach (string line in Rows("gw3", _n, _n).Select(row => t.Name + " " + string.Join(", ", row.Select(v => v + " = 0")) + ";"))
        {
            w.Line(line);
        }

        w.Line(t.Name + " " + string.Join(", ", Names("gb3", _n).Select(v => v + " = 0")) + ";");
        w.Line(Invariant($"{t.Name} invM = {t.One} / m;"));
        w.Line("double sum = 0;");
        w.Open("for (int r = 0; r < m; r++)");
        LoadRow("x", "x", _n);
        Layer1();
        Layer2("h1");
        Residuals();
        w.Line("// dX̂ = (X̂ − X)/m");
        w.Line(t.Name + " " + string.Join(", ", Enumerable.Range(0, _n).Select(j => Invariant($"d_{j} = e_{j} * invM"))) + ";");
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

        w.Line(Invariant($"global::System.Span<{t.Name}> g = global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref gradient, ParameterCount);"));
        int offset = 0;
        foreach (IReadOnlyList<string> row in Rows("gw1", _n, _k).Concat(new[] { Names("gb1", _k) })
                     .Concat(Rows("gw2", _k, _n)).Concat(new[] { Names("gb2", _n) })
                     .Concat(Rows("gw3", _n, _n)).Concat(new[] { Names("gb3", _n) }))
        {
            w.Line(string.Join(" ", row.Select((v, i) => Invariant($"g[{offset + i}] = {v};"))));
            offset += row.Count;
        }

        w.Line(Invariant($"return ({t.Name})(sum / (2.0 * m));"));
        w.Close();
        w.Line();
    }

    private void Begin(string signature, string summary)
    {
        w.Summary(summary);
        w.Line(generatedCode);
        w.Open("private " + signature);
    }

    private void LoadAll()
    {
        w.Line("global::System.ReadOnlySpan<" + t.Name + "> p = _parameters;");
        LoadMatrix("w1", "W1Offset", 0, _n, _k);
        LoadVector("b1", "B1Offset", _n * _k, _k);
        LoadDecoder();
    }

    private void LoadDecoder()
    {
        int w2 = (_n * _k) + _k;
        LoadMatrix("w2", "W2Offset", w2, _k, _n);
        LoadVector("b2", "B2Offset", w2 + (_k * _n), _n);
        int w3 = w2 + (_k * _n) + _n;
        LoadMatrix("w3", "W3Offset", w3, _n, _n);
        LoadVector("b3", "B3Offset", w3 + (_n * _n), _n);
    }

    /// <summary>Declares one local per matrix element, a line per matrix row: name_i_j = p[offset + i·cols + j].</summary>
    private void LoadMatrix(string name, string offsetName, int offset, int rows, int cols)
    {
        w.Line(Invariant($"// {name.ToUpperInvariant()} ({rows}×{cols}) from p[{offsetName}..]"));
        for (int i = 0; i < rows; i++)
        {
            w.Line(t.Name + " " + string.Join(", ", Enumerable.Range(0, cols).Select(j => Invariant($"{name}_{i}_{j} = p[{offset + (i * cols) + j}]"))) + ";");
        }
    }

    private void LoadVector(string name, string offsetName, int offset, int length)
    {
        w.Line(Invariant($"// {name} ({length}) from p[{offsetName}..]"));
        w.Line(t.Name + " " + string.Join(", ", Enumerable.Range(0, length).Select(j => Invariant($"{name}_{j} = p[{offset + j}]"))) + ";");
    }

    private void LoadRow(string source, string name, int width)
    {
        w.Line(Invariant($"ref {t.Name} row = ref {Unsafe}.Add(ref {source}, r * {width});"));
        w.Line(t.Name + " " + string.Join(", ", Enumerable.Range(0, width).Select(i => i == 0 ? Invariant($"{name}_0 = row") : Invariant($"{name}_{i} = {Unsafe}.Add(ref row, {i})"))) + ";");
    }

    private void StoreRow(string target, string name, int width)
    {
        w.Line(Invariant($"ref {t.Name} output = ref {Unsafe}.Add(ref {target}, r * {width});"));
        for (int j = 0; j < width; j++)
        {
            w.Line(Invariant($"{Unsafe}.Add(ref output, {j}) = {name}_{j};"));
        }
    }

    private void Layer1()
    {
        w.Line("// H1 = σ(X·W1 + b1)");
        Dense("h1", "x", "w1", "b1", _n, _k, sigmoid: true);
    }

    private void Layer2(string input)
    {
        w.Line("// H2 = σ(H1·W2 + b2)");
        Dense("h2", input, "w2", "b2", _k, _n, sigmoid: true);
    }

    /// <summary>X̂ = H2·W3 + b3, written straight to the output row.</summary>
    private void Output(string target, bool declare)
    {
        w.Line("// X̂ = H2·W3 + b3");
        if (!declare)
        {
            w.Line(Invariant($"ref {t.Name} output = ref {Unsafe}.Add(ref {target}, r * {_n});"));
        }

        for (int j = 0; j < _n; j++)
        {
            w.Line(Invariant($"{Unsafe}.Add(ref output, {j}) = {Affine("h2", "w3", "b3", _n, j)};"));
        }
    }

    /// <summary>e = X̂ − X for one row, and Σe² added to <c>sum</c>.</summary>
    private void Residuals()
    {
        w.Line("// E = X̂ − X, with X̂ = H2·W3 + b3");
        for (int j = 0; j < _n; j++)
        {
            w.Line(Invariant($"{t.Name} e_{j} = {Affine("h2", "w3", "b3", _n, j)} - x_{j};"));
        }

        w.Line("sum += " + string.Join(" + ", Enumerable.Range(0, _n).Select(j => Invariant($"e_{j} * e_{j}"))) + ";");
    }

    private void Dense(string output, string input, string weights, string bias, int inputs, int outputs, bool sigmoid)
    {
        for (int j = 0; j < outputs; j++)
        {
            string z = Affine(input, weights, bias, inputs, j);
            w.Line(Invariant($"{t.Name} {output}_{j} = ") + (sigmoid ? Sigmoid + "(" + z + ");" : z + ";"));
        }
    }

    /// <summary>b_j + Σ_i in_i·W_i_j as one expression.</summary>
    private static string Affine(string input, string weights, string bias, int inputs, int j) =>
        Invariant($"{bias}_{j} + ") + string.Join(" + ", Enumerable.Range(0, inputs).Select(i => Invariant($"{input}_{i} * {weights}_{i}_{j}")));

    /// <summary>g_i_j += a_i·d_j for every i, j: a line per i.</summary>
    private void Accumulate(string gradient, string a, int rows, string d, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            w.Line(string.Join(" ", Enumerable.Range(0, cols).Select(j => Invariant($"{gradient}_{i}_{j} += {a}_{i} * {d}_{j};"))));
        }
    }

    /// <summary>dz_i = h_i(1 − h_i)·Σ_j d_j·W_i_j: the error sent back through a weight matrix and a sigmoid.</summary>
    private void BackDot(string output, string h, string d, string weights, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
        {
            string dot = string.Join(" + ", Enumerable.Range(0, cols).Select(j => Invariant($"{d}_{j} * {weights}_{i}_{j}")));
            w.Line(Invariant($"{t.Name} {output}_{i} = {h}_{i} * ({t.One} - {h}_{i}) * ({dot});"));
        }
    }

    private static IReadOnlyList<string> Names(string name, int length) =>
        Enumerable.Range(0, length).Select(j => Invariant($"{name}_{j}")).ToList();

    private static IEnumerable<IReadOnlyList<string>> Rows(string name, int rows, int cols) =>
        Enumerable.Range(0, rows).Select(i => (IReadOnlyList<string>)Enumerable.Range(0, cols).Select(j => Invariant($"{name}_{i}_{j}")).ToList());
}
