using System;
using System.Linq;
using System.Threading;
using AeGen.Generator.Model;
using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// Kernels for larger models: loops with constant bounds over <c>Vector256</c> chunks of each weight row,
/// working on tiles of <see cref="TileRows"/> batch rows so that each weight vector loaded from memory
/// feeds one accumulator per row. Rows left over after the last whole tile go through one-row kernels.
/// Activations of a tile live on the stack: nothing is allocated and nothing is shared between calls.
/// </summary>
internal sealed class TiledKernelEmitter(SourceWriter w, AutoencoderSpec spec, ScalarType t, string generatedCode)
{
    /// <summary>Batch rows per tile: four accumulators per weight vector keep the FMA units busy without spilling.</summary>
    public const int TileRows = 4;

    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string V = "global::System.Runtime.Intrinsics.Vector256";
    private const string Sigmoid = "global::AeGen.Internals.Activation.Sigmoid";

    private static readonly int[] RowCounts = [TileRows, 1];

    private readonly int _n = spec.Inputs;
    private readonly int _k = spec.Hidden;

    public void Write(CancellationToken cancellationToken)
    {
        WriteDrivers();
        WriteResidual();
        foreach (int rows in RowCounts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Dense("Layer1", "H1 = σ(X·W1 + b1)", _n, _k, "W1Offset", "B1Offset", sigmoid: true, rows);
            Dense("Layer2", "H2 = σ(H1·W2 + b2)", _k, _n, "W2Offset", "B2Offset", sigmoid: true, rows);
            Dense("Layer3", "X̂ = H2·W3 + b3", _n, _n, "W3Offset", "B3Offset", sigmoid: false, rows);
            BiasGradient("B3", "db3 += colsum(dX̂)", _n, rows);
            WeightGradient("W3", "dW3 += H2ᵀ·dX̂", _n, _n, rows);
            Backpropagate("W3", "dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ), written over H2", _n, _n, rows);
            BiasGradient("B2", "db2 += colsum(dZ2)", _n, rows);
            WeightGradient("W2", "dW2 += H1ᵀ·dZ2", _k, _n, rows);
            Backpropagate("W2", "dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ), written over H1", _k, _n, rows);
            BiasGradient("B1", "db1 += colsum(dZ1)", _k, rows);
            WeightGradient("W1", "dW1 += Xᵀ·dZ1", _n, _k, rows);
        }
    }

    private void WriteDrivers()
    {
        string T = t.Name;
        Begin("void ForwardCore(ref " + T + " x, ref " + T + " xhat, int m)", "Forward for m rows, a tile of rows at a time.");
        Parameters();
        Scratch(("h1", "Hidden"), ("h2", "Inputs"));
        Tiles(rows =>
        {
            w.Line(Invariant($"Layer1Rows{rows}(ref xr, ref p, ref h1);"));
            w.Line(Invariant($"Layer2Rows{rows}(ref h1, ref p, ref h2);"));
            w.Line(Invariant($"Layer3Rows{rows}(ref h2, ref p, ref {Unsafe}.Add(ref xhat, r * Inputs));"));
        });
        End();

        Begin("void EncodeCore(ref " + T + " x, ref " + T + " code, int m)", "Encode for m rows, a tile of rows at a time.");
        Parameters();
        Tiles(rows => w.Line(Invariant($"Layer1Rows{rows}(ref xr, ref p, ref {Unsafe}.Add(ref code, r * Hidden));")));
        End();

        Begin("void DecodeCore(ref " + T + " code, ref " + T + " xhat, int m)", "Decode for m rows, a tile of rows at a time.");
        Parameters();
        Scratch(("h2", "Inputs"));
        Tiles(rows =>
        {
            w.Line(Invariant($"Layer2Rows{rows}(ref {Unsafe}.Add(ref code, r * Hidden), ref p, ref h2);"));
            w.Line(Invariant($"Layer3Rows{rows}(ref h2, ref p, ref {Unsafe}.Add(ref xhat, r * Inputs));"));
        }, hasInput: false);
        End();

        Begin(T + " CostCore(ref " + T + " x, int m)", "The cost over m rows, a tile of rows at a time.");
        Parameters();
        Scratch(("h1", "Hidden"), ("h2", "Inputs"), ("d", "Inputs"));
        w.Line("double sum = 0;");
        Tiles(rows =>
        {
            w.Line(Invariant($"Layer1Rows{rows}(ref xr, ref p, ref h1);"));
            w.Line(Invariant($"Layer2Rows{rows}(ref h1, ref p, ref h2);"));
            w.Line(Invariant($"Layer3Rows{rows}(ref h2, ref p, ref d);"));
            w.Line(Invariant($"sum += Residual(ref xr, ref d, {rows} * Inputs, {t.One});"));
        });
        w.Line(Invariant($"return ({T})(sum / (2.0 * m));"));
        End();

        Begin(T + " BackwardCore(ref " + T + " x, ref " + T + " gradient, int m)",
            "Cost and gradient over m rows: each tile runs forward, then sends dX̂ back through the three layers, adding to the gradient.");
        Parameters();
        Scratch(("h1", "Hidden"), ("h2", "Inputs"), ("d", "Inputs"));
        w.Line(Invariant($"{Marshal}.CreateSpan(ref gradient, ParameterCount).Clear();"));
        w.Line(Invariant($"{T} invM = {t.One} / m;"));
        w.Line("double sum = 0;");
        Tiles(rows =>
        {
            w.Line(Invariant($"Layer1Rows{rows}(ref xr, ref p, ref h1);"));
            w.Line(Invariant($"Layer2Rows{rows}(ref h1, ref p, ref h2);"));
            w.Line(Invariant($"Layer3Rows{rows}(ref h2, ref p, ref d);"));
            w.Line("// dX̂ = (X̂ − X)/m, written over X̂");
            w.Line(Invariant($"sum += Residual(ref xr, ref d, {rows} * Inputs, invM);"));
            w.Line(Invariant($"AccumulateB3Rows{rows}(ref d, ref gradient);"));
            w.Line(Invariant($"AccumulateW3Rows{rows}(ref h2, ref d, ref gradient);"));
            w.Line(Invariant($"BackpropagateW3Rows{rows}(ref d, ref p, ref h2);"));
            w.Line(Invariant($"AccumulateB2Rows{rows}(ref h2, ref gradient);"));
            w.Line(Invariant($"AccumulateW2Rows{rows}(ref h1, ref h2, ref gradient);"));
            w.Line(Invariant($"BackpropagateW2Rows{rows}(ref h2, ref p, ref h1);"));
            w.Line(Invariant($"AccumulateB1Rows{rows}(ref h1, ref gradient);"));
            w.Line(Invariant($"AccumulateW1Rows{rows}(ref xr, ref h1, ref gradient);"));
        });
        w.Line(Invariant($"return ({T})(sum / (2.0 * m));"));
        End();
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

    private void Parameters() =>
        w.Line(Invariant($"ref {t.Name} p = ref {Marshal}.GetArrayDataReference(_parameters);"));

    /// <summary>One stack buffer for a tile's activations, cut into named row blocks.</summary>
    private void Scratch(params (string Name, string Width)[] blocks)
    {
        string total = string.Join(" + ", blocks.Select(b => b.Width));
        w.Line(Invariant($"global::System.Span<{t.Name}> scratch = stackalloc {t.Name}[{TileRows} * ({total})];"));
        for (int i = 0; i < blocks.Length; i++)
        {
            string start = i == 0
                ? Invariant($"{Marshal}.GetReference(scratch)")
                : Invariant($"{Unsafe}.Add(ref {blocks[i - 1].Name}, {TileRows} * {blocks[i - 1].Width})");
            w.Line(Invariant($"ref {t.Name} {blocks[i].Name} = ref {start};"));
        }
    }

    /// <summary>Whole tiles first, then the remaining rows one by one; <c>r</c> is the first row, <c>xr</c> its input (when there is an x).</summary>
    private void Tiles(Action<int> body, bool hasInput = true)
    {
        w.Line("int r = 0;");
        foreach (int rows in RowCounts)
        {
            w.Open(rows == 1 ? "for (; r < m; r++)" : Invariant($"for (; r + {rows} <= m; r += {rows})"));
            if (hasInput)
            {
                w.Line(Invariant($"ref {t.Name} xr = ref {Unsafe}.Add(ref x, r * Inputs);"));
            }

            body(rows);
            w.Close();
        }
    }

    /// <summary>output = act(input·W + b) for <paramref name="rows"/> rows: a vector of each output chunk per row.</summary>
    private void Dense(string name, string math, int inputs, int outputs, string weights, string bias, bool sigmoid, int rows)
    {
        Header(Invariant($"{math} for {rows} row(s): {inputs} inputs, {outputs} outputs."));
        w.Open(Invariant($"private static void {name}Rows{rows}(ref {t.Name} input, ref {t.Name} p, ref {t.Name} output)"));
        w.Line(Invariant($"ref {t.Name} w = ref {Unsafe}.Add(ref p, {weights});"));
        w.Line(Invariant($"ref {t.Name} b = ref {Unsafe}.Add(ref p, {bias});"));
        int vectorEnd = VectorEnd(outputs);
        Func<string, string> act = sigmoid ? z => Sigmoid + "(" + z + ")" : z => z;
        if (vectorEnd > 0)
        {
            w.Open(Invariant($"for (nuint o = 0; o < {vectorEnd}; o += {t.Lanes})"));
            w.Line(Invariant($"{t.Vector} a0 = {V}.LoadUnsafe(ref b, o);"));
            For(1, rows, r => w.Line(Invariant($"{t.Vector} a{r} = a0;")));
            w.Open(Invariant($"for (nuint i = 0; i < {inputs}; i++)"));
            w.Line(Invariant($"{t.Vector} wi = {V}.LoadUnsafe(ref w, i * {outputs} + o);"));
            For(0, rows, r => w.Line(Invariant($"a{r} = {V}.MultiplyAddEstimate({V}.Create({Unsafe}.Add(ref input, {At(r * inputs, "i")})), wi, a{r});")));
            w.Close();
            For(0, rows, r => w.Line(Invariant($"{V}.StoreUnsafe({act("a" + r)}, ref output, {At(r * outputs, "o")});")));
            w.Close();
        }

        if (vectorEnd < outputs)
        {
            w.Open(Invariant($"for (nuint o = {vectorEnd}; o < {outputs}; o++)"));
            w.Line(Invariant($"{t.Name} s0 = {Unsafe}.Add(ref b, o);"));
            For(1, rows, r => w.Line(Invariant($"{t.Name} s{r} = s0;")));
            w.Open(Invariant($"for (nuint i = 0; i < {inputs}; i++)"));
            w.Line(Invariant($"{t.Name} wi = {Unsafe}.Add(ref w, i * {outputs} + o);"));
            For(0, rows, r => w.Line(Invariant($"s{r} += {Unsafe}.Add(ref input, {At(r * inputs, "i")}) * wi;")));
            w.Close();
            For(0, rows, r => w.Line(Invariant($"{Unsafe}.Add(ref output, {At(r * outputs, "o")}) = {act("s" + r)};")));
            w.Close();
        }

        End();
    }

    /// <summary>d = (X̂ − X)·scale written over X̂; returns Σ(X̂ − X)².</summary>
    private void WriteResidual()
    {
        string T = t.Name;
        Header("Writes (X̂ − X)·scale over X̂ for <paramref name=\"count\"/> values and returns Σ(X̂ − X)².");
        w.Open(Invariant($"private static {T} Residual(ref {T} x, ref {T} xhat, int count, {T} scale)"));
        w.Line(Invariant($"{t.Vector} squares = {t.Vector}.Zero;"));
        w.Line(Invariant($"{t.Vector} factor = {V}.Create(scale);"));
        w.Line("nuint i = 0;");
        w.Open(Invariant($"for (; i + {t.Lanes} <= (nuint)count; i += {t.Lanes})"));
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

    /// <summary>g[o] += Σ_r d[r, o] over a tile.</summary>
    private void BiasGradient(string name, string math, int width, int rows)
    {
        Header(Invariant($"{math} for {rows} row(s) of {width} values."));
        w.Open(Invariant($"private static void Accumulate{name}Rows{rows}(ref {t.Name} d, ref {t.Name} gradient)"));
        w.Line(Invariant($"ref {t.Name} g = ref {Unsafe}.Add(ref gradient, {name}Offset);"));
        int vectorEnd = VectorEnd(width);
        if (vectorEnd > 0)
        {
            w.Open(Invariant($"for (nuint o = 0; o < {vectorEnd}; o += {t.Lanes})"));
            string sum = string.Join(" + ", Enumerable.Range(0, rows).Select(r => Invariant($"{V}.LoadUnsafe(ref d, {At(r * width, "o")})")));
            w.Line(Invariant($"{V}.StoreUnsafe({V}.LoadUnsafe(ref g, o) + {sum}, ref g, o);"));
            w.Close();
        }

        if (vectorEnd < width)
        {
            w.Open(Invariant($"for (nuint o = {vectorEnd}; o < {width}; o++)"));
            string sum = string.Join(" + ", Enumerable.Range(0, rows).Select(r => Invariant($"{Unsafe}.Add(ref d, {At(r * width, "o")})")));
            w.Line(Invariant($"{Unsafe}.Add(ref g, o) += {sum};"));
            w.Close();
        }

        End();
    }

    /// <summary>G[i, :] += Σ_r a[r, i]·d[r, :] over a tile: one pass over the gradient rows per tile.</summary>
    private void WeightGradient(string name, string math, int inputs, int outputs, int rows)
    {
        Header(Invariant($"{math} for {rows} row(s): a is {inputs} wide, d is {outputs} wide."));
        w.Open(Invariant($"private static void Accumulate{name}Rows{rows}(ref {t.Name} a, ref {t.Name} d, ref {t.Name} gradient)"));
        w.Line(Invariant($"ref {t.Name} g = ref {Unsafe}.Add(ref gradient, {name}Offset);"));
        w.Open(Invariant($"for (nuint i = 0; i < {inputs}; i++)"));
        w.Line(Invariant($"ref {t.Name} gi = ref {Unsafe}.Add(ref g, i * {outputs});"));
        For(0, rows, r => w.Line(Invariant($"{t.Name} s{r} = {Unsafe}.Add(ref a, {At(r * inputs, "i")});")));
        int vectorEnd = VectorEnd(outputs);
        if (vectorEnd > 0)
        {
            For(0, rows, r => w.Line(Invariant($"{t.Vector} v{r} = {V}.Create(s{r});")));
            w.Open(Invariant($"for (nuint o = 0; o < {vectorEnd}; o += {t.Lanes})"));
            w.Line(Invariant($"{t.Vector} acc = {V}.LoadUnsafe(ref gi, o);"));
            For(0, rows, r => w.Line(Invariant($"acc = {V}.MultiplyAddEstimate(v{r}, {V}.LoadUnsafe(ref d, {At(r * outputs, "o")}), acc);")));
            w.Line(Invariant($"{V}.StoreUnsafe(acc, ref gi, o);"));
            w.Close();
        }

        if (vectorEnd < outputs)
        {
            w.Open(Invariant($"for (nuint o = {vectorEnd}; o < {outputs}; o++)"));
            string sum = string.Join(" + ", Enumerable.Range(0, rows).Select(r => Invariant($"s{r} * {Unsafe}.Add(ref d, {At(r * outputs, "o")})")));
            w.Line(Invariant($"{Unsafe}.Add(ref gi, o) += {sum};"));
            w.Close();
        }

        w.Close();
        End();
    }

    /// <summary>h[r, i] = h(1 − h)·Σ_o d[r, o]·W[i, o], in place: the error sent back through W and the sigmoid before it.</summary>
    private void Backpropagate(string name, string math, int inputs, int outputs, int rows)
    {
        Header(Invariant($"{math} for {rows} row(s): {name} is {inputs}×{outputs}."));
        w.Open(Invariant($"private static void Backpropagate{name}Rows{rows}(ref {t.Name} d, ref {t.Name} p, ref {t.Name} h)"));
        w.Line(Invariant($"ref {t.Name} w = ref {Unsafe}.Add(ref p, {name}Offset);"));
        w.Open(Invariant($"for (nuint i = 0; i < {inputs}; i++)"));
        w.Line(Invariant($"ref {t.Name} wi = ref {Unsafe}.Add(ref w, i * {outputs});"));
        int vectorEnd = VectorEnd(outputs);
        if (vectorEnd > 0)
        {
            For(0, rows, r => w.Line(Invariant($"{t.Vector} a{r} = {t.Vector}.Zero;")));
            w.Open(Invariant($"for (nuint o = 0; o < {vectorEnd}; o += {t.Lanes})"));
            w.Line(Invariant($"{t.Vector} wo = {V}.LoadUnsafe(ref wi, o);"));
            For(0, rows, r => w.Line(Invariant($"a{r} = {V}.MultiplyAddEstimate({V}.LoadUnsafe(ref d, {At(r * outputs, "o")}), wo, a{r});")));
            w.Close();
            For(0, rows, r => w.Line(Invariant($"{t.Name} s{r} = {V}.Sum(a{r});")));
        }
        else
        {
            For(0, rows, r => w.Line(Invariant($"{t.Name} s{r} = 0;")));
        }

        if (vectorEnd < outputs)
        {
            w.Open(Invariant($"for (nuint o = {vectorEnd}; o < {outputs}; o++)"));
            w.Line(Invariant($"{t.Name} wo = {Unsafe}.Add(ref wi, o);"));
            For(0, rows, r => w.Line(Invariant($"s{r} += {Unsafe}.Add(ref d, {At(r * outputs, "o")}) * wo;")));
            w.Close();
        }

        For(0, rows, r =>
        {
            w.Line(Invariant($"ref {t.Name} z{r} = ref {Unsafe}.Add(ref h, {At(r * inputs, "i")});"));
            w.Line(Invariant($"z{r} = z{r} * ({t.One} - z{r}) * s{r};"));
        });
        w.Close();
        End();
    }

    private void Header(string summary)
    {
        w.Summary(summary);
        w.Line(generatedCode);
    }

    /// <summary>The end of the part of a row that whole vectors cover.</summary>
    private int VectorEnd(int width) => width - (width % t.Lanes);

    private static string At(int rowStart, string index) => rowStart == 0 ? index : Invariant($"{rowStart} + {index}");

    private static void For(int from, int to, Action<int> body)
    {
        for (int i = from; i < to; i++)
        {
            body(i);
        }
    }
}
