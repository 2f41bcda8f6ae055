using System;
using System.Threading;
using AeGen.Generator.Model;
using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// Kernels for larger models, written as small matrix products with constant shapes. The model's Core methods pick
/// a nested class of kernels by the widest SIMD width the JIT accelerates (<see cref="Widths"/>); the test folds to a
/// constant when the method is compiled, so the other classes are never compiled. Within a class, the batch is cut
/// into blocks of <see cref="BlockRows"/> rows whose activations live in a buffer rented from the shared array pool
/// (no allocation once warm, nothing shared between concurrent calls), and every product runs over panels of two
/// vectors of output columns and tiles of rows: the accumulators stay in registers while one pass over the reduction
/// dimension reads each weight vector once for all the tile's rows.
/// </summary>
internal sealed class TiledKernelEmitter
{
    /// <summary>Rows per block: enough that each weight panel is reused across many rows while it is in cache.</summary>
    public const int BlockRows = 64;

    /// <summary>The vector widths in bits that kernels are written for, widest first; the last needs no test.</summary>
    private static readonly int[] Widths = [512, 256, 128];

    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string Sigmoid = "global::AeGen.Internals.Activation.Sigmoid";

    private readonly SourceWriter w;
    private readonly ScalarType t;
    private readonly string generatedCode;
    private readonly int _n;
    private readonly int _k;
    private readonly int _bits;

    private TiledKernelEmitter(SourceWriter w, AutoencoderSpec spec, ScalarType t, string generatedCode, int bits)
    {
        this.w = w;
        this.t = t;
        this.generatedCode = generatedCode;
        _n = spec.Inputs;
        _k = spec.Hidden;
        _bits = bits;
    }

    /// <summary>The name of the nested class holding the kernels of one width.</summary>
    public static string ClassName(int bits) => Invariant($"Simd{bits}");

    private string T => t.Name;

    /// <summary>Lanes of one vector.</summary>
    private int L => _bits / (t.Name == "double" ? 64 : 32);

    /// <summary>The static class of the vector type, e.g. <c>Vector512</c>.</summary>
    private string V => Invariant($"global::System.Runtime.Intrinsics.Vector{_bits}");

    private string Vec => V + "<" + T + ">";

    /// <summary>Rows of a register tile: with 32 registers (AVX-512) eight rows of two vectors fit, otherwise four.</summary>
    private int TileRows => _bits == 512 ? 8 : 4;

    private string Pool => "global::System.Buffers.ArrayPool<" + T + ">.Shared";

    /// <summary>Writes the model's Core methods, which dispatch by vector width, and one nested class of kernels per width.</summary>
    public static void Write(SourceWriter w, AutoencoderSpec spec, ScalarType t, string generatedCode, CancellationToken cancellationToken)
    {
        string T = t.Name;
        Dispatch(w, t, generatedCode, "void", "ForwardCore(ref " + T + " x, ref " + T + " xhat, int m)", "Forward(ref p, ref x, ref xhat, m)", "Forward for m rows.");
        Dispatch(w, t, generatedCode, "void", "EncodeCore(ref " + T + " x, ref " + T + " code, int m)", "Encode(ref p, ref x, ref code, m)", "Encode for m rows.");
        Dispatch(w, t, generatedCode, "void", "DecodeCore(ref " + T + " code, ref " + T + " xhat, int m)", "Decode(ref p, ref code, ref xhat, m)", "Decode for m rows.");
        Dispatch(w, t, generatedCode, T, "CostCore(ref " + T + " x, int m)", "Cost(ref p, ref x, m)", "The cost over m rows.");
        Dispatch(w, t, generatedCode, T, "BackwardCore(ref " + T + " x, ref " + T + " gradient, int m)", "Backward(ref p, ref x, ref gradient, m)", "Cost and gradient over m rows.");
        foreach (int bits in Widths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            new TiledKernelEmitter(w, spec, t, generatedCode, bits).WriteClass(cancellationToken);
        }
    }

    /// <summary>A Core method: an if / else-if chain over the widths, widest first, the last one unconditional.</summary>
    private static void Dispatch(SourceWriter w, ScalarType t, string generatedCode, string returnType, string signature, string call, string summary)
    {
        w.Summary(summary + " Runs the kernels of the widest vector the JIT accelerates on this machine.");
        w.Line(generatedCode);
        w.Open("private " + returnType + " " + signature);
        w.Line(Invariant($"ref {t.Name} p = ref {Marshal}.GetArrayDataReference(_parameters);"));
        string result = returnType == "void" ? "" : "return ";
        for (int i = 0; i < Widths.Length; i++)
        {
            string condition = Invariant($"global::System.Runtime.Intrinsics.Vector{Widths[i]}.IsHardwareAccelerated");
            w.Open(i == 0 ? "if (" + condition + ")" : i < Widths.Length - 1 ? "else if (" + condition + ")" : "else");
            w.Line(Invariant($"{result}{ClassName(Widths[i])}.{call};"));
            w.Close();
        }

        w.Close();
        w.Line();
    }

    private void WriteClass(CancellationToken cancellationToken)
    {
        w.Summary(Invariant($"The kernels written with {_bits}-bit vectors ({L} lanes)."));
        w.Line(generatedCode);
        w.Open("private static class " + ClassName(_bits));
        WriteDrivers();
        cancellationToken.ThrowIfCancellationRequested();
        WriteResidual();
        Product(new Gemm("Layer1", "H1 = σ(X·W1 + b1)", Q: "rows", Reduce: _n.ToString(), O: _k, AQ: _n, AT: "1", Init.Bias, Epilogue.Sigmoid));
        Product(new Gemm("Layer2", "H2 = σ(H1·W2 + b2)", Q: "rows", Reduce: _k.ToString(), O: _n, AQ: _k, AT: "1", Init.Bias, Epilogue.Sigmoid));
        Product(new Gemm("Layer3", "X̂ = H2·W3 + b3", Q: "rows", Reduce: _n.ToString(), O: _n, AQ: _n, AT: "1", Init.Bias, Epilogue.None));
        cancellationToken.ThrowIfCancellationRequested();
        Product(new Gemm("AccumulateW3", "dW3 += H2ᵀ·dX̂", Q: _n.ToString(), Reduce: "rows", O: _n, AQ: 1, AT: _n.ToString(), Init.Accumulate, Epilogue.None));
        Product(new Gemm("AccumulateW2", "dW2 += H1ᵀ·dZ2", Q: _k.ToString(), Reduce: "rows", O: _n, AQ: 1, AT: _k.ToString(), Init.Accumulate, Epilogue.None));
        Product(new Gemm("AccumulateW1", "dW1 += Xᵀ·dZ1", Q: _n.ToString(), Reduce: "rows", O: _k, AQ: 1, AT: _n.ToString(), Init.Accumulate, Epilogue.None));
        cancellationToken.ThrowIfCancellationRequested();
        Product(new Gemm("BackpropagateW3", "dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ), written over H2", Q: "rows", Reduce: _n.ToString(), O: _n, AQ: _n, AT: "1", Init.Zero, Epilogue.SigmoidGradient));
        Product(new Gemm("BackpropagateW2", "dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ), written over H1", Q: "rows", Reduce: _n.ToString(), O: _k, AQ: _n, AT: "1", Init.Zero, Epilogue.SigmoidGradient));
        ColumnSums("B3", "db3 += colsum(dX̂)", _n);
        ColumnSums("B2", "db2 += colsum(dZ2)", _n);
        ColumnSums("B1", "db1 += colsum(dZ1)", _k);
        w.Close();
        w.Line();
    }

    private void WriteDrivers()
    {
        Begin(Invariant($"internal static void Forward(ref {T} p, ref {T} x, ref {T} xhat, int m)"), "Forward for m rows, a block of rows at a time.");
        Weights(1, 2, 3);
        Rent(("h1", Block("Hidden")), ("h2", Block("Inputs")));
        Blocks(() =>
        {
            w.Line(Invariant($"Layer1(ref {Unsafe}.Add(ref x, r * Inputs), ref w1, ref b1, ref h1, rows);"));
            w.Line("Layer2(ref h1, ref w2, ref b2, ref h2, rows);");
            w.Line(Invariant($"Layer3(ref h2, ref w3, ref b3, ref {Unsafe}.Add(ref xhat, r * Inputs), rows);"));
        });
        Release();

        Begin(Invariant($"internal static void Encode(ref {T} p, ref {T} x, ref {T} code, int m)"), "Encode for m rows.");
        Weights(1);
        w.Line("Layer1(ref x, ref w1, ref b1, ref code, m);");
        End();

        Begin(Invariant($"internal static void Decode(ref {T} p, ref {T} code, ref {T} xhat, int m)"), "Decode for m rows, a block of rows at a time.");
        Weights(2, 3);
        Rent(("h2", Block("Inputs")));
        Blocks(() =>
        {
            w.Line(Invariant($"Layer2(ref {Unsafe}.Add(ref code, r * Hidden), ref w2, ref b2, ref h2, rows);"));
            w.Line(Invariant($"Layer3(ref h2, ref w3, ref b3, ref {Unsafe}.Add(ref xhat, r * Inputs), rows);"));
        });
        Release();

        Begin(Invariant($"internal static {T} Cost(ref {T} p, ref {T} x, int m)"), "The cost over m rows, a block of rows at a time.");
        Weights(1, 2, 3);
        Rent(("h1", Block("Hidden")), ("h2", Block("Inputs")), ("d", Block("Inputs")));
        w.Line("double sum = 0;");
        Blocks(() =>
        {
            w.Line(Invariant($"ref {T} xb = ref {Unsafe}.Add(ref x, r * Inputs);"));
            ForwardBlock();
            w.Line(Invariant($"sum += Residual(ref xb, ref d, rows * Inputs, {t.One});"));
        });
        Release(Invariant($"return ({T})(sum / (2.0 * m));"));

        Begin(Invariant($"internal static {T} Backward(ref {T} p, ref {T} x, ref {T} gradient, int m)"),
            "Cost and gradient over m rows: each block runs forward, then sends dX̂ back through the three layers, adding to the gradient.");
        Weights(1, 2, 3);
        Rent(("h1", Block("Hidden")), ("h2", Block("Inputs")), ("d", Block("Inputs")), ("w3t", "Inputs * Inputs"), ("w2t", "Inputs * Hidden"));
        w.Line("// The error flows back through W3ᵀ and W2ᵀ: transposed once per call, they are read along rows like every other product.");
        w.Line("global::AeGen.Internals.Matrix.Transpose(ref w3, ref w3t, Inputs, Inputs);");
        w.Line("global::AeGen.Internals.Matrix.Transpose(ref w2, ref w2t, Hidden, Inputs);");
        w.Line(Invariant($"{Marshal}.CreateSpan(ref gradient, ParameterCount).Clear();"));
        foreach (string name in new[] { "W1", "B1", "W2", "B2", "W3", "B3" })
        {
            w.Line(Invariant($"ref {T} g{name} = ref {Unsafe}.Add(ref gradient, {name}Offset);"));
        }

        w.Line(Invariant($"{T} invM = {t.One} / m;"));
        w.Line("double sum = 0;");
        Blocks(() =>
        {
            w.Line(Invariant($"ref {T} xb = ref {Unsafe}.Add(ref x, r * Inputs);"));
            ForwardBlock();
            w.Line("// dX̂ = (X̂ − X)/m, written over X̂");
            w.Line("sum += Residual(ref xb, ref d, rows * Inputs, invM);");
            w.Line("AccumulateB3(ref d, ref gB3, rows);");
            w.Line("AccumulateW3(ref h2, ref d, ref gW3, rows);");
            w.Line("BackpropagateW3(ref d, ref w3t, ref h2, rows);");
            w.Line("AccumulateB2(ref h2, ref gB2, rows);");
            w.Line("AccumulateW2(ref h1, ref h2, ref gW2, rows);");
            w.Line("BackpropagateW2(ref h2, ref w2t, ref h1, rows);");
            w.Line("AccumulateB1(ref h1, ref gB1, rows);");
            w.Line("AccumulateW1(ref xb, ref h1, ref gW1, rows);");
        });
        Release(Invariant($"return ({T})(sum / (2.0 * m));"));
    }

    private void ForwardBlock()
    {
        w.Line("Layer1(ref xb, ref w1, ref b1, ref h1, rows);");
        w.Line("Layer2(ref h1, ref w2, ref b2, ref h2, rows);");
        w.Line("Layer3(ref h2, ref w3, ref b3, ref d, rows);");
    }

    /// <summary>Names the weights and biases of the given layers inside the parameters.</summary>
    private void Weights(params int[] layers)
    {
        foreach (int layer in layers)
        {
            w.Line(Invariant($"ref {T} w{layer} = ref {Unsafe}.Add(ref p, W{layer}Offset);"));
            w.Line(Invariant($"ref {T} b{layer} = ref {Unsafe}.Add(ref p, B{layer}Offset);"));
        }
    }

    private void Begin(string signature, string summary)
    {
        w.Summary(summary);
        w.Open(signature);
    }

    private void End()
    {
        w.Close();
        w.Line();
    }

    /// <summary>Rents one buffer and cuts it into named parts, each given by its length.</summary>
    private void Rent(params (string Name, string Length)[] parts)
    {
        w.Line(Invariant($"{T}[] scratch = {Pool}.Rent({string.Join(" + ", Array.ConvertAll(parts, p => p.Length))});"));
        for (int i = 0; i < parts.Length; i++)
        {
            string start = i == 0
                ? Invariant($"{Marshal}.GetArrayDataReference(scratch)")
                : Invariant($"{Unsafe}.Add(ref {parts[i - 1].Name}, {parts[i - 1].Length})");
            w.Line(Invariant($"ref {T} {parts[i].Name} = ref {start};"));
        }
    }

    /// <summary>The length of a block of rows <paramref name="width"/> values wide.</summary>
    private static string Block(string width) => Invariant($"{BlockRows} * {width}");

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
        /// <summary>Start each output row from the bias vector <c>bias</c>.</summary>
        Bias,

        /// <summary>Add to what the output already holds (a gradient).</summary>
        Accumulate,

        /// <summary>Start from zero.</summary>
        Zero,
    }

    private enum Epilogue
    {
        None,

        /// <summary>Store σ(sum).</summary>
        Sigmoid,

        /// <summary>Store h(1 − h)·sum, where h is what the output held: the error through a sigmoid, in place.</summary>
        SigmoidGradient,
    }

    /// <summary>
    /// C(q, c) = init + Σ_t A(q, t)·B(t, c) for q &lt; Q, c &lt; O, t &lt; Reduce, with A(q, t) at a[q·AQ + t·AT] and
    /// B(t, c) at b[t·O + c].
    /// </summary>
    private sealed record Gemm(string Name, string Math, string Q, string Reduce, int O, int AQ, string AT, Init Init, Epilogue Epilogue);

    private void Product(Gemm g)
    {
        w.Summary(Invariant($"{g.Math}: {g.Q} × {g.O} outputs, each a sum over {g.Reduce} products."));
        string bias = g.Init == Init.Bias ? Invariant($"ref {T} bias, ") : "";
        w.NeverInlined();
        w.Open(Invariant($"private static void {g.Name}(ref {T} a, ref {T} b, {bias}ref {T} c, int rows)"));
        w.Line(Invariant($"nuint qEnd = (nuint){g.Q};"));
        w.Line(Invariant($"nuint tEnd = (nuint){g.Reduce};"));
        int panels = g.O / (2 * L) * (2 * L);
        if (panels > 0)
        {
            w.Open(Invariant($"for (nuint c0 = 0; c0 < {panels}; c0 += {2 * L})"));
            Tiles(g, vectors: 2);
            w.Close();
        }

        if (g.O - panels >= L)
        {
            w.Open("");
            w.Line(Invariant($"const nuint c0 = {panels};"));
            Tiles(g, vectors: 1);
            w.Close();
        }

        int vectorEnd = g.O / L * L;
        if (vectorEnd < g.O)
        {
            w.Open(Invariant($"for (nuint c0 = {vectorEnd}; c0 < {g.O}; c0++)"));
            w.Open("for (nuint q = 0; q < qEnd; q++)");
            w.Line(Invariant($"ref {T} cq = ref {Unsafe}.Add(ref c, q * {g.O} + c0);"));
            string init = g.Init switch
            {
                Init.Bias => Invariant($"{Unsafe}.Add(ref bias, c0)"),
                Init.Accumulate => "cq",
                _ => "0",
            };
            w.Line(Invariant($"{T} s = {init};"));
            w.Open("for (nuint t = 0; t < tEnd; t++)");
            w.Line(Invariant($"s += {A(g, "q", "t")} * {Unsafe}.Add(ref b, t * {g.O} + c0);"));
            w.Close();
            w.Line(Invariant($"cq = {Apply(g.Epilogue, "s", "cq", scalar: true)};"));
            w.Close();
            w.Close();
        }

        End();
    }

    /// <summary>
    /// Tiles of <see cref="TileRows"/> rows, then single rows, over one panel of <paramref name="vectors"/> vectors at
    /// column <c>c0</c>. The reduction loop walks two references (a row of B, a column of A) forward by constant
    /// strides, so every address inside it is a register plus a constant.
    /// </summary>
    private void Tiles(Gemm g, int vectors)
    {
        w.Line("nuint q = 0;");
        foreach (int rows in new[] { TileRows, 1 })
        {
            w.Open(rows == 1 ? "for (; q < qEnd; q++)" : Invariant($"for (; q + {rows} <= qEnd; q += {rows})"));
            w.Line(Invariant($"ref {T} cq = ref {Unsafe}.Add(ref c, q * {g.O} + c0);"));
            for (int r = 0; r < rows; r++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    string init = g.Init switch
                    {
                        Init.Bias => Invariant($"{V}.LoadUnsafe(ref bias, {(v == 0 ? "c0" : Invariant($"c0 + {v * L}"))})"),
                        Init.Accumulate => Invariant($"{V}.LoadUnsafe(ref cq, {r * g.O + v * L})"),
                        _ => Vec + ".Zero",
                    };
                    w.Line(Invariant($"{Vec} acc{r}{v} = {init};"));
                }
            }

            w.Line(Invariant($"ref {T} at = ref {Unsafe}.Add(ref a, q{(g.AQ == 1 ? "" : Invariant($" * {g.AQ}"))});"));
            w.Line(Invariant($"ref {T} bt = ref {Unsafe}.Add(ref b, c0);"));
            w.Open("for (nuint t = 0; t < tEnd; t++)");
            for (int v = 0; v < vectors; v++)
            {
                w.Line(Invariant($"{Vec} b{v} = {V}.LoadUnsafe(ref bt, {v * L});"));
            }

            for (int r = 0; r < rows; r++)
            {
                w.Line(Invariant($"{Vec} a{r} = {V}.Create({Unsafe}.Add(ref at, {r * g.AQ}));"));
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
                    int offset = r * g.O + v * L;
                    string old = Invariant($"{V}.LoadUnsafe(ref cq, {offset})");
                    w.Line(Invariant($"{V}.StoreUnsafe({Apply(g.Epilogue, Invariant($"acc{r}{v}"), old, scalar: false)}, ref cq, {offset});"));
                }
            }

            w.Close();
        }
    }

    private string A(Gemm g, string q, string tIndex)
    {
        string qTerm = g.AQ == 1 ? "(" + q + ")" : Invariant($"({q}) * {g.AQ}");
        string tTerm = g.AT == "1" ? tIndex : tIndex + " * " + g.AT;
        return Invariant($"{Unsafe}.Add(ref a, {qTerm} + {tTerm})");
    }

    /// <summary>The value stored for a sum, given an expression for what the output held before.</summary>
    private string Apply(Epilogue epilogue, string sum, string old, bool scalar) => epilogue switch
    {
        Epilogue.Sigmoid => Sigmoid + "(" + sum + ")",
        Epilogue.SigmoidGradient => scalar
            ? Invariant($"{old} * ({t.One} - {old}) * {sum}")
            : Invariant($"{V}.Multiply({V}.Multiply({old}, {Vec}.One - {old}), {sum})"),
        _ => sum,
    };

    /// <summary>d = (X̂ − X)·scale written over X̂; returns Σ(X̂ − X)².</summary>
    private void WriteResidual()
    {
        w.Summary("Writes (X̂ − X)·scale over X̂ for <paramref name=\"count\"/> values and returns Σ(X̂ − X)².");
        w.Open(Invariant($"private static {T} Residual(ref {T} x, ref {T} xhat, int count, {T} scale)"));
        w.Line(Invariant($"{Vec} squares = {Vec}.Zero;"));
        w.Line(Invariant($"{Vec} factor = {V}.Create(scale);"));
        w.Line("nuint i = 0;");
        w.Open(Invariant($"for (; i + {L} <= (nuint)count; i += {L})"));
        w.Line(Invariant($"{Vec} e = {V}.LoadUnsafe(ref xhat, i) - {V}.LoadUnsafe(ref x, i);"));
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
        w.Open(Invariant($"private static void Accumulate{name}(ref {T} d, ref {T} g, int rows)"));
        int vectorEnd = width / L * L;
        if (vectorEnd > 0)
        {
            w.Open(Invariant($"for (nuint c = 0; c < {vectorEnd}; c += {L})"));
            w.Line(Invariant($"{Vec} s = {V}.LoadUnsafe(ref g, c);"));
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
}
