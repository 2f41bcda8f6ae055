using System;
using System.Threading;
using AeGen.Generator.Model;
using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// Kernels for larger models, written as small matrix products with constant shapes. The batch is cut into blocks
/// of <see cref="BlockRows"/> rows whose activations live in a buffer rented from the shared array pool (no
/// allocation once warm, nothing shared between concurrent calls). Within a block every product runs over panels of
/// two <c>Vector256</c>s of output columns and tiles of four rows: eight accumulators stay in registers while one
/// pass over the reduction dimension reads each weight vector once for four rows.
/// </summary>
internal sealed class TiledKernelEmitter(SourceWriter w, AutoencoderSpec spec, ScalarType t, string generatedCode)
{
    /// <summary>Rows per block: enough that each weight panel is reused across many rows while it is in cache.</summary>
    public const int BlockRows = 64;

    /// <summary>Rows of a register tile.</summary>
    private const int TileRows = 4;

    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string V = "global::System.Runtime.Intrinsics.Vector256";
    private const string Sigmoid = "global::AeGen.Internals.Activation.Sigmoid";

    private readonly int _n = spec.Inputs;
    private readonly int _k = spec.Hidden;

    private string T => t.Name;

    private int L => t.Lanes;

    private string Pool => "global::System.Buffers.ArrayPool<" + T + ">.Shared";

    public void Write(CancellationToken cancellationToken)
    {
        WriteDrivers();
        cancellationToken.ThrowIfCancellationRequested();
        WriteResidual();
        Product(new Gemm("Layer1", "H1 = σ(X·W1 + b1)", Q: "rows", Reduce: _n.ToString(), O: _k, AQ: _n, AT: "1", B: "W1Offset", Init.Bias, "B1Offset", Epilogue.Sigmoid));
        Product(new Gemm("Layer2", "H2 = σ(H1·W2 + b2)", Q: "rows", Reduce: _k.ToString(), O: _n, AQ: _k, AT: "1", B: "W2Offset", Init.Bias, "B2Offset", Epilogue.Sigmoid));
        Product(new Gemm("Layer3", "X̂ = H2·W3 + b3", Q: "rows", Reduce: _n.ToString(), O: _n, AQ: _n, AT: "1", B: "W3Offset", Init.Bias, "B3Offset", Epilogue.None));
        cancellationToken.ThrowIfCancellationRequested();
        Product(new Gemm("AccumulateW3", "dW3 += H2ᵀ·dX̂", Q: _n.ToString(), Reduce: "rows", O: _n, AQ: 1, AT: _n.ToString(), B: null, Init.Accumulate, "W3Offset", Epilogue.None));
        Product(new Gemm("AccumulateW2", "dW2 += H1ᵀ·dZ2", Q: _k.ToString(), Reduce: "rows", O: _n, AQ: 1, AT: _k.ToString(), B: null, Init.Accumulate, "W2Offset", Epilogue.None));
        Product(new Gemm("AccumulateW1", "dW1 += Xᵀ·dZ1", Q: _n.ToString(), Reduce: "rows", O: _k, AQ: 1, AT: _n.ToString(), B: null, Init.Accumulate, "W1Offset", Epilogue.None));
        cancellationToken.ThrowIfCancellationRequested();
        Backpropagate("W3", "dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ), written over H2", _n, _n);
        Backpropagate("W2", "dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ), written over H1", _k, _n);
        ColumnSums("B3", "db3 += colsum(dX̂)", _n);
        ColumnSums("B2", "db2 += colsum(dZ2)", _n);
        ColumnSums("B1", "db1 += colsum(dZ1)", _k);
    }

    private void WriteDrivers()
    {
        Begin("void ForwardCore(ref " + T + " x, ref " + T + " xhat, int m)", "Forward for m rows, a block of rows at a time.");
        Rent(("h1", "Hidden"), ("h2", "Inputs"));
        Blocks(() =>
        {
            w.Line(Invariant($"Layer1(ref {Unsafe}.Add(ref x, r * Inputs), ref p, ref h1, rows);"));
            w.Line("Layer2(ref h1, ref p, ref h2, rows);");
            w.Line(Invariant($"Layer3(ref h2, ref p, ref {Unsafe}.Add(ref xhat, r * Inputs), rows);"));
        });
        Release();

        Begin("void EncodeCore(ref " + T + " x, ref " + T + " code, int m)", "Encode for m rows.");
        w.Line(Invariant($"ref {T} p = ref {Marshal}.GetArrayDataReference(_parameters);"));
        w.Line("Layer1(ref x, ref p, ref code, m);");
        End();

        Begin("void DecodeCore(ref " + T + " code, ref " + T + " xhat, int m)", "Decode for m rows, a block of rows at a time.");
        Rent(("h2", "Inputs"));
        Blocks(() =>
        {
            w.Line(Invariant($"Layer2(ref {Unsafe}.Add(ref code, r * Hidden), ref p, ref h2, rows);"));
            w.Line(Invariant($"Layer3(ref h2, ref p, ref {Unsafe}.Add(ref xhat, r * Inputs), rows);"));
        });
        Release();

        Begin(T + " CostCore(ref " + T + " x, int m)", "The cost over m rows, a block of rows at a time.");
        Rent(("h1", "Hidden"), ("h2", "Inputs"), ("d", "Inputs"));
        w.Line("double sum = 0;");
        Blocks(() =>
        {
            w.Line(Invariant($"ref {T} xb = ref {Unsafe}.Add(ref x, r * Inputs);"));
            w.Line("Layer1(ref xb, ref p, ref h1, rows);");
            w.Line("Layer2(ref h1, ref p, ref h2, rows);");
            w.Line("Layer3(ref h2, ref p, ref d, rows);");
            w.Line(Invariant($"sum += Residual(ref xb, ref d, rows * Inputs, {t.One});"));
        });
        Release(Invariant($"return ({T})(sum / (2.0 * m));"));

        Begin(T + " BackwardCore(ref " + T + " x, ref " + T + " gradient, int m)",
            "Cost and gradient over m rows: each block runs forward, then sends dX̂ back through the three layers, adding to the gradient.");
        Rent(("h1", "Hidden"), ("h2", "Inputs"), ("d", "Inputs"));
        w.Line(Invariant($"{Marshal}.CreateSpan(ref gradient, ParameterCount).Clear();"));
        w.Line(Invariant($"{T} invM = {t.One} / m;"));
        w.Line("double sum = 0;");
        Blocks(() =>
        {
            w.Line(Invariant($"ref {T} xb = ref {Unsafe}.Add(ref x, r * Inputs);"));
            w.Line("Layer1(ref xb, ref p, ref h1, rows);");
            w.Line("Layer2(ref h1, ref p, ref h2, rows);");
            w.Line("Layer3(ref h2, ref p, ref d, rows);");
            w.Line("// dX̂ = (X̂ − X)/m, written over X̂");
            w.Line("sum += Residual(ref xb, ref d, rows * Inputs, invM);");
            w.Line("AccumulateB3(ref d, ref gradient, rows);");
            w.Line("AccumulateW3(ref h2, ref d, ref gradient, rows);");
            w.Line("BackpropagateW3(ref d, ref p, ref h2, rows);");
            w.Line("AccumulateB2(ref h2, ref gradient, rows);");
            w.Line("AccumulateW2(ref h1, ref h2, ref gradient, rows);");
            w.Line("BackpropagateW2(ref h2, ref p, ref h1, rows);");
            w.Line("AccumulateB1(ref h1, ref gradient, rows);");
            w.Line("AccumulateW1(ref xb, ref h1, ref gradient, rows);");
        });
        Release(Invariant($"return ({T})(sum / (2.0 * m));"));
    }

    private void Begin(string signature, string summary)
    {
        w.Summary(summary);
        w.Line(generatedCode);
        w.Open("private " + signature);
    }

    private void End()
    {
        w.Close();
        w.Line();
    }

    /// <summary>Rents one buffer for a block's activations and cuts it into named row blocks.</summary>
    private void Rent(params (string Name, string Width)[] blocks)
    {
        w.Line(Invariant($"ref {T} p = ref {Marshal}.GetArrayDataReference(_parameters);"));
        w.Line(Invariant($"{T}[] scratch = {Pool}.Rent({BlockRows} * ({string.Join(" + ", Array.ConvertAll(blocks, b => b.Width))}));"));
        for (int i = 0; i < blocks.Length; i++)
        {
            string start = i == 0
                ? Invariant($"{Marshal}.GetArrayDataReference(scratch)")
                : Invariant($"{Unsafe}.Add(ref {blocks[i - 1].Name}, {BlockRows} * {blocks[i - 1].Width})");
            w.Line(Invariant($"ref {T} {blocks[i].Name} = ref {start};"));
        }
    }

    private void Release(string? finalLine = null)
    {
        w.Line(Invariant($"{Pool}.Return(scratch);"));
        if (finalLine is not null)
        {
            w.Line(finalLine);
        }

        End();
    }

    /// <summary>A loop over blocks; <c>r</c> is the block's first row and <c>rows</c> its row count.</summary>
    private void Blocks(Action body)
    {
        w.Open(Invariant($"for (int r = 0; r < m; r += {BlockRows})"));
        w.Line(Invariant($"int rows = global::System.Math.Min({BlockRows}, m - r);"));
        body();
        w.Close();
    }

    private enum Init
    {
        /// <summary>Start each output row from a bias vector.</summary>
        Bias,

        /// <summary>Add to what the output already holds (a gradient).</summary>
        Accumulate,
    }

    private enum Epilogue
    {
        None,
        Sigmoid,
    }

    /// <summary>
    /// C(q, c) = init + Σ_t A(q, t)·B(t, c) for q &lt; Q, c &lt; O, t &lt; Reduce, with A(q, t) at a[q·AQ + t·AT] and
    /// B(t, c) at b[t·O + c]. B is a weight matrix inside the parameters (at offset <c>B</c>) or, when null, an argument.
    /// </summary>
    private sealed record Gemm(string Name, string Math, string Q, string Reduce, int O, int AQ, string AT, string? B, Init Init, string Offset, Epilogue Epilogue);

    private void Product(Gemm g)
    {
        w.Summary(Invariant($"{g.Math}: {g.Q} × {g.O} outputs, each a sum over {g.Reduce} products."));
        w.Line(generatedCode);
        string signature = g.B is null
            ? Invariant($"private static void {g.Name}(ref {T} a, ref {T} b, ref {T} gradient, int rows)")
            : Invariant($"private static void {g.Name}(ref {T} a, ref {T} p, ref {T} c, int rows)");
        w.Open(signature);
        if (g.B is null)
        {
            w.Line(Invariant($"ref {T} c = ref {Unsafe}.Add(ref gradient, {g.Offset});"));
        }
        else
        {
            w.Line(Invariant($"ref {T} b = ref {Unsafe}.Add(ref p, {g.B});"));
            w.Line(Invariant($"ref {T} bias = ref {Unsafe}.Add(ref p, {g.Offset});"));
        }

        w.Line(Invariant($"nuint qEnd = (nuint){g.Q};"));
        w.Line(Invariant($"nuint tEnd = (nuint){g.Reduce};"));
        int panels = g.O / (2 * L) * (2 * L);
        if (panels > 0)
        {
            w.Open(Invariant($"for (nuint c0 = 0; c0 < {panels}; c0 += {2 * L})"));
            Tiles(g, vectors: 2, column: "c0");
            w.Close();
        }

        if (g.O - panels >= L)
        {
            w.Open("");
            w.Line(Invariant($"const nuint c0 = {panels};"));
            Tiles(g, vectors: 1, column: "c0");
            w.Close();
        }

        int vectorEnd = g.O / L * L;
        if (vectorEnd < g.O)
        {
            w.Open(Invariant($"for (nuint c0 = {vectorEnd}; c0 < {g.O}; c0++)"));
            w.Open("for (nuint q = 0; q < qEnd; q++)");
            w.Line(Invariant($"{T} s = {ScalarInit(g, "q")};"));
            w.Open("for (nuint t = 0; t < tEnd; t++)");
            w.Line(Invariant($"s += {A(g, "q", "t")} * {Unsafe}.Add(ref b, t * {g.O} + c0);"));
            w.Close();
            w.Line(Invariant($"{Unsafe}.Add(ref c, q * {g.O} + c0) = {Apply(g.Epilogue, "s")};"));
            w.Close();
            w.Close();
        }

        End();
    }

    /// <summary>
    /// Tiles of four rows, then single rows, over one panel of <paramref name="vectors"/> vectors. The reduction loop
    /// walks two references (a row of B, a column of A) forward by constant strides, so every address inside it is a
    /// register plus a constant.
    /// </summary>
    private void Tiles(Gemm g, int vectors, string column)
    {
        w.Line("nuint q = 0;");
        foreach (int rows in new[] { TileRows, 1 })
        {
            w.Open(rows == 1 ? "for (; q < qEnd; q++)" : Invariant($"for (; q + {rows} <= qEnd; q += {rows})"));
            w.Line(Invariant($"ref {T} cq = ref {Unsafe}.Add(ref c, q * {g.O} + {column});"));
            for (int r = 0; r < rows; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    string init = g.Init == Init.Bias
                        ? Invariant($"{V}.LoadUnsafe(ref bias, {Col(column, v)})")
                        : Invariant($"{V}.LoadUnsafe(ref cq, {r * g.O + v * L})");
                    w.Line(Invariant($"{t.Vector} acc{r}{v} = {init};"));
                }
            }

            w.Line(Invariant($"ref {T} at = ref {Unsafe}.Add(ref a, q{(g.AQ == 1 ? "" : Invariant($" * {g.AQ}"))});"));
            w.Line(Invariant($"ref {T} bt = ref {Unsafe}.Add(ref b, {column});"));
            w.Open("for (nuint t = 0; t < tEnd; t++)");
            for (int v = 0; v < vectors; v++)
            {
                w.Line(Invariant($"{t.Vector} b{v} = {V}.LoadUnsafe(ref bt, {v * L});"));
            }

            for (int r = 0; r < rows; r++)
            {
                w.Line(Invariant($"{t.Vector} a{r} = {V}.Create({Unsafe}.Add(ref at, {r * g.AQ}));"));
                for (int v = 0; v < vectors; v++)
                {
                    w.Line(Invariant($"acc{r}{v} = {V}.MultiplyAddEstimate(a{r}, b{v}, acc{r}{v});"));
                }
            }

            w.Line(Invariant($"at = ref {Unsafe}.Add(ref at, {g.AT});"));
            w.Line(Invariant($"bt = ref {Unsafe}.Add(ref bt, {g.O});"));
            w.Close();
            for (int r = 0; r < rows; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    w.Line(Invariant($"{V}.StoreUnsafe({Apply(g.Epilogue, Invariant($"acc{r}{v}"))}, ref cq, {r * g.O + v * L});"));
                }
            }

            w.Close();
        }
    }

    private static string Row(int r) => r == 0 ? "q" : Invariant($"q + {r}");

    private string Col(string column, int v) => v == 0 ? column : Invariant($"{column} + {v * L}");

    private string A(Gemm g, string q, string tIndex)
    {
        string qTerm = g.AQ == 1 ? "(" + q + ")" : Invariant($"({q}) * {g.AQ}");
        string tTerm = g.AT == "1" ? tIndex : tIndex + " * " + g.AT;
        return Invariant($"{Unsafe}.Add(ref a, {qTerm} + {tTerm})");
    }

    private string ScalarInit(Gemm g, string q) => g.Init == Init.Bias
        ? Invariant($"{Unsafe}.Add(ref bias, c0)")
        : Invariant($"{Unsafe}.Add(ref c, {q} * {g.O} + c0)");

    private static string Apply(Epilogue epilogue, string value) => epilogue == Epilogue.Sigmoid ? Sigmoid + "(" + value + ")" : value;

    /// <summary>d = (X̂ − X)·scale written over X̂; returns Σ(X̂ − X)².</summary>
    private void WriteResidual()
    {
        w.Summary("Writes (X̂ − X)·scale over X̂ for <paramref name=\"count\"/> values and returns Σ(X̂ − X)².");
        w.Line(generatedCode);
        w.Open(Invariant($"private static {T} Residual(ref {T} x, ref {T} xhat, int count, {T} scale)"));
        w.Line(Invariant($"{t.Vector} squares = {t.Vector}.Zero;"));
        w.Line(Invariant($"{t.Vector} factor = {V}.Create(scale);"));
        w.Line("nuint i = 0;");
        w.Open(Invariant($"for (; i + {L} <= (nuint)count; i += {L})"));
        w.Line(Invariant($"{t.Vector} e = {V}.LoadUnsafe(ref xhat, i) - {V}.LoadUnsafe(ref x, i);"));
        w.Line(Invariant($"squares = {V}.MultiplyAddEstimate(e, e, squares);"));
        w.Line(Invariant($"{V}.StoreUnsafe(e * factor, ref xhat, i);"));
        w.Close();
        w.Line(Invariant($"{T} sum = {V}.Sum(squares);"));
        w.Open("for (; i < (nuint)count; i++)");
        w.Line(Invariant($"{T} e = {Unsafe}.Add(ref xhat, i) - {Unsafe}.Add(ref x, i);"));
        w.Line("sum += e * e;");
        w.Line(Invariant($"{Unsafe}.Add(ref xhat, i) = e * scale;"));
        w.Close();
        w.Line("return sum;");
        End();
    }

    /// <summary>g[c] += Σ_r d[r, c] over the block's rows.</summary>
    private void ColumnSums(string name, string math, int width)
    {
        w.Summary(Invariant($"{math} over a block's rows of {width} values."));
        w.Line(generatedCode);
        w.Open(Invariant($"private static void Accumulate{name}(ref {T} d, ref {T} gradient, int rows)"));
        w.Line(Invariant($"ref {T} g = ref {Unsafe}.Add(ref gradient, {name}Offset);"));
        int vectorEnd = width / L * L;
        if (vectorEnd > 0)
        {
            w.Open(Invariant($"for (nuint c = 0; c < {vectorEnd}; c += {L})"));
            w.Line(Invariant($"{t.Vector} s = {V}.LoadUnsafe(ref g, c);"));
            w.Open("for (nuint r = 0; r < (nuint)rows; r++)");
            w.Line(Invariant($"s += {V}.LoadUnsafe(ref d, r * {width} + c);"));
            w.Close();
            w.Line(Invariant($"{V}.StoreUnsafe(s, ref g, c);"));
            w.Close();
        }

        if (vectorEnd < width)
        {
            w.Open(Invariant($"for (nuint c = {vectorEnd}; c < {width}; c++)"));
            w.Line(Invariant($"{T} s = {Unsafe}.Add(ref g, c);"));
            w.Open("for (nuint r = 0; r < (nuint)rows; r++)");
            w.Line(Invariant($"s += {Unsafe}.Add(ref d, r * {width} + c);"));
            w.Close();
            w.Line(Invariant($"{Unsafe}.Add(ref g, c) = s;"));
            w.Close();
        }

        End();
    }

    /// <summary>
    /// h[r, i] = h(1 − h)·Σ_o d[r, o]·W[i, o], in place: the error sent back through W (inputs × outputs) and the
    /// sigmoid before it. Dot products along W's rows, two rows of W by four rows of d at a time.
    /// </summary>
    private void Backpropagate(string name, string math, int inputs, int outputs)
    {
        w.Summary(Invariant($"{math}: {name} is {inputs}×{outputs}."));
        w.Line(generatedCode);
        w.Open(Invariant($"private static void Backpropagate{name}(ref {T} d, ref {T} p, ref {T} h, int rows)"));
        w.Line(Invariant($"ref {T} w = ref {Unsafe}.Add(ref p, {name}Offset);"));
        w.Line("nuint qEnd = (nuint)rows;");
        int pairs = inputs / 2 * 2;
        if (pairs > 0)
        {
            w.Open(Invariant($"for (nuint i = 0; i < {pairs}; i += 2)"));
            DotTiles(inputs, outputs, weightRows: 2);
            w.Close();
        }

        if (pairs < inputs)
        {
            w.Open("");
            w.Line(Invariant($"const nuint i = {pairs};"));
            DotTiles(inputs, outputs, weightRows: 1);
            w.Close();
        }

        End();
    }

    private void DotTiles(int inputs, int outputs, int weightRows)
    {
        int vectorEnd = outputs / L * L;
        for (int j = 0; j < weightRows; j++)
        {
            w.Line(Invariant($"ref {T} w{j} = ref {Unsafe}.Add(ref w, (i + {j}) * {outputs});"));
        }

        w.Line("nuint q = 0;");
        foreach (int rows in new[] { TileRows, 1 })
        {
            w.Open(rows == 1 ? "for (; q < qEnd; q++)" : Invariant($"for (; q + {rows} <= qEnd; q += {rows})"));
            w.Line(Invariant($"ref {T} dq = ref {Unsafe}.Add(ref d, q * {outputs});"));
            if (vectorEnd > 0)
            {
                For(rows, weightRows, (r, j) => w.Line(Invariant($"{t.Vector} acc{r}{j} = {t.Vector}.Zero;")));
                w.Open(Invariant($"for (nuint o = 0; o < {vectorEnd}; o += {L})"));
                for (int j = 0; j < weightRows; j++)
                {
                    w.Line(Invariant($"{t.Vector} wv{j} = {V}.LoadUnsafe(ref w{j}, o);"));
                }

                for (int r = 0; r < rows; r++)
                {
                    w.Line(Invariant($"{t.Vector} d{r} = {V}.LoadUnsafe(ref {Unsafe}.Add(ref dq, {r * outputs}), o);"));
                    for (int j = 0; j < weightRows; j++)
                    {
                        w.Line(Invariant($"acc{r}{j} = {V}.MultiplyAddEstimate(d{r}, wv{j}, acc{r}{j});"));
                    }
                }

                w.Close();
                For(rows, weightRows, (r, j) => w.Line(Invariant($"{T} s{r}{j} = {V}.Sum(acc{r}{j});")));
            }
            else
            {
                For(rows, weightRows, (r, j) => w.Line(Invariant($"{T} s{r}{j} = 0;")));
            }

            if (vectorEnd < outputs)
            {
                w.Open(Invariant($"for (nuint o = {vectorEnd}; o < {outputs}; o++)"));
                For(rows, weightRows, (r, j) => w.Line(Invariant($"s{r}{j} += {Unsafe}.Add(ref dq, {r * outputs} + o) * {Unsafe}.Add(ref w{j}, o);")));
                w.Close();
            }

            For(rows, weightRows, (r, j) =>
            {
                w.Line(Invariant($"ref {T} z{r}{j} = ref {Unsafe}.Add(ref h, ({Row(r)}) * {inputs} + i + {j});"));
                w.Line(Invariant($"z{r}{j} = z{r}{j} * ({t.One} - z{r}{j}) * s{r}{j};"));
            });
            w.Close();
        }
    }

    private static void For(int rows, int columns, Action<int, int> body)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns; j++)
            {
                body(r, j);
            }
        }
    }
}
