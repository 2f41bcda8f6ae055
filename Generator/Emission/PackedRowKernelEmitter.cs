using System;
using System.Collections.Generic;
using System.Linq;
using AeGen.Generator.Model;
using static System.FormattableString;

namespace AeGen.Generator.Emission;

/// <summary>
/// Inference kernels for models with very short rows, where at least four whole rows fit in one vector. A
/// group of R rows is read as it lies in memory, row after row (one move, masked where the group does not fill the
/// vector), and stays in that layout through every layer: a layer from width a to width b is, for each input column
/// i, a permute that copies element (r, i) to lanes (r, 0…b−1), times W's row i repeated R times, added to the
/// repeated bias. So a layer costs a permute and a fused multiply-add per input column plus one sigmoid for R rows,
/// where one row per lane costs a sigmoid per column and a gather of every value. Backward, where every width divides
/// a 128-bit vector's lanes, keeps the layout too (see <see cref="Backward"/>); otherwise training keeps one row per
/// lane (<see cref="UnrolledKernelEmitter"/>). They are written for 512-bit vectors, and for 256-bit ones where four
/// rows fit in those too (n and k at most 2 in float, 1 in double), and run where that width is accelerated.
/// </summary>
internal sealed class PackedRowKernelEmitter
{
    /// <summary>The vector widths these kernels are written for, widest first: each where it applies to the shape.</summary>
    public static readonly int[] Widths = [512, 256];

    private const string Unsafe = KnownTypes.KernelScope.Unsafe;
    private const string Sigmoid = KnownTypes.KernelScope.Sigmoid;
    private const string SigmoidGradient = KnownTypes.KernelScope.SigmoidGradient;
    private const string Partial = KnownTypes.KernelScope.PartialVector;
    private const string Fma = KnownTypes.KernelScope.Fma;
    private const string StartsFromCodes = KnownTypes.KernelScope.StartsFromCodes;
    private const string StopsAtCodes = KnownTypes.KernelScope.StopsAtCodes;
    private const string ReturnsCost = KnownTypes.KernelScope.ReturnsCost;


    private const int MinimumRows = 4;

    private readonly SourceWriter _w;
    private readonly AutoencoderSpec _spec;
    private readonly ScalarType _t;
    private readonly EmissionContext _c;

    /// <summary>The named permutes and index vectors the kernels use, in order of first use, with their declarations.</summary>
    private readonly List<(string Name, string Declaration)> _permutes = [];
    private readonly int _lanes;
    private readonly int _rows;

    /// <summary>The width of the vectors these kernels work in, and the vector type of that width.</summary>
    private readonly int _bits;
    private readonly string V;

    private readonly bool _backward;

    private PackedRowKernelEmitter(EmissionContext c, int bits, bool backward)
    {
        _bits = bits;
        _backward = backward;
        V = VectorType(bits);
        _w = c.Writer;
        _spec = c.Spec;
        _t = c.Scalar;
        _c = c;
        _lanes = c.Scalar.LanesIn(bits);
        _rows = _lanes / Math.Max(c.Inputs, c.Hidden);
    }

    /// <summary>
    /// True when at least four rows fit in one vector and every repeated parameter row can be built: a row of 4 or 8
    /// bytes is broadcast; any other is permuted out of a whole vector of parameters, which needs at least that many
    /// parameters.
    /// </summary>
    public static bool Applies(AutoencoderSpec spec, ScalarType t, int bits)
    {
        int lanes = t.LanesIn(bits);
        if (lanes / Math.Max(spec.Inputs, spec.Hidden) < MinimumRows)
        {
            return false;
        }

        return spec.ParameterCount >= lanes || (IsBroadcast(spec.Inputs, t) && IsBroadcast(spec.Hidden, t));
    }

    /// <summary>
    /// True when <see cref="Applies"/> is and Backward can also keep rows in their layout: its gradient sums add the
    /// lanes of each column, folded in halves, so every width must divide the lanes of a 128-bit vector (1, 2 or 4
    /// values), and the error sent back through W3ᵀ and W2ᵀ permutes weight columns out of a whole vector of
    /// parameters, which needs at least that many (a 1×1 model needs no permute).
    /// Backward is written for 512 bits only: at 256 bits the packed Backward lost to the lane kernels at the batch sizes
    /// training uses, winning only at a handful of rows (BENCHMARKS.md).
    /// </summary>
    public static bool AppliesToBackward(AutoencoderSpec spec, ScalarType t, int bits)
    {
        int quarter = t.LanesIn(128);
        return bits == 512 && Applies(spec, t, bits)
            && quarter % spec.Inputs == 0 && quarter % spec.Hidden == 0
            && (spec.ParameterCount >= t.LanesIn(bits) || (spec.Inputs == 1 && spec.Hidden == 1));
    }

    /// <summary>The class holding the kernels of one width, nested in the model's kernel class.</summary>
    public static string ClassName(int bits) => "Packed" + bits.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>Vector512</c> or <c>Vector256</c>, as the kernels spell it.</summary>
    public static string VectorType(int bits) => bits == 512 ? KnownTypes.KernelScope.Vector512 : KnownTypes.KernelScope.Vector256;

    /// <summary>
    /// Writes the class for <paramref name="bits"/>, nested in the kernel class, with Backward where
    /// <paramref name="backward"/>; call only where <see cref="Applies"/> is true.
    /// </summary>
    public static void Write(EmissionContext c, int bits, bool backward) => new PackedRowKernelEmitter(c, bits, backward).Write();

    private static bool IsBroadcast(int width, ScalarType t) => width * t.Size is 4 or 8;

    private string T => _t.Name;

    private string Vec => V + "<" + T + ">";

    private string Index => _t.IndexName;

    private int N => _spec.Inputs;

    private int K => _spec.Hidden;

    private void Write()
    {
        string kernels = _backward ? "Forward, Encode, Decode, Cost and Backward" : "Forward, Encode, Decode and Cost";
        _w.Summary(Invariant($"{kernels} with {_rows} rows per {_bits}-bit vector, laid out as in memory."));
        _w.Open("private static class " + ClassName(_bits));
        Run();
        if (_backward)
        {
            Backward();
        }

        // Named so that a layer reads as its permutes; inlined, each index vector is a constant again.
        _w.Line("// The permutes, named for the lanes they fill: ColumnIOfWToU puts element (r, i) of rows W wide in lanes");
        _w.Line("// (r, 0…U−1); RepeatCFromF[ByS] puts element F + S·j of the parameters from start in lane (r, j) of every row r.");
        foreach ((string _, string declaration) in _permutes)
        {
            _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
            _w.Line(declaration);
        }

        _w.Close();
        _w.Line();
    }

    /// <summary>
    /// A call of the permute <paramref name="name"/> of <paramref name="vector"/>, which takes lane l from element
    /// <paramref name="indices"/>[l]; the permute is declared once, after the kernels.
    /// </summary>
    private string Shuffled(string name, string indices, string vector)
    {
        Declare(name, Invariant($"private static {Vec} {name}({Vec} v) => {V}.Shuffle(v, {indices});"));
        return Invariant($"{name}({vector})");
    }

    /// <summary>A call of the index vector <paramref name="name"/>, which is declared once, after the kernels.</summary>
    private string Indexed(string name, string body)
    {
        Declare(name, Invariant($"private static {V}<{Index}> {name}() => {body};"));
        return name + "()";
    }

    private void Declare(string name, string declaration)
    {
        if (!_permutes.Any(p => p.Name == name))
        {
            _permutes.Add((name, declaration));
        }
    }

    /// <summary>Forward, Encode, Decode and Cost as one kernel, generic over the pass, like the row-per-lane one.</summary>
    private void Run()
    {
        _w.Summary("Forward, Encode, Decode or Cost (which writes S to output) for m rows, as TPass says.");
        _w.NeverInlined();
        _w.Line(Invariant($"public static void Run<TPass>(ref {T} p, ref {T} input, ref {T} output, int m)"));
        _w.Line("    where TPass : struct, IKernelPass");
        _w.Open("");
        _w.Line("// Each parameter row repeated once per row of a group, built once per call: those of the layers the pass has.");
        _w.Line(Vec + " " + string.Join(", ", Names("w1", N).Append("b1").Select(v => v + " = default")) + ";");
        _w.Line(Vec + " " + string.Join(", ", Names("w2", K).Append("b2").Concat(Names("w3", N)).Append("b3").Select(v => v + " = default")) + ";");
        _w.Open(Invariant($"if (!({StartsFromCodes}))"));
        Repeat("w1", 0, N, K, declare: false);
        _w.Line(Invariant($"b1 = {Pattern(_spec.B1Offset, K)};"));
        _w.Close();
        _w.Line();
        _w.Open(Invariant($"if (!({StopsAtCodes}))"));
        Repeat("w2", _spec.W2Offset, K, N, declare: false);
        _w.Line(Invariant($"b2 = {Pattern(_spec.B2Offset, N)};"));
        Repeat("w3", _spec.W3Offset, N, N, declare: false);
        _w.Line(Invariant($"b3 = {Pattern(_spec.B3Offset, N)};"));
        _w.Close();
        _w.Line();
        _w.Line("double sum = 0;");
        _w.Open(Invariant($"for (int r = 0; r < m; r += {_rows})"));
        _w.Line("// Only the lanes of the rows left (m − r of them) are read; the others load as zero.");
        _w.Line(Invariant($"{Vec} x0 = default, h1;"));
        _w.Open(Invariant($"if ({StartsFromCodes})"));
        _w.Line("// H1, the codes the pass starts from");
        _w.Line(Invariant($"h1 = {Load("input", K)};"));
        _w.Close();
        _w.Open("else");
        _w.Line(Invariant($"x0 = {Load("input", N)};"));
        _w.Line("// H1 = σ(X·W1 + b1)");
        _w.Line(Invariant($"h1 = {Sigmoid}({Affine("x0", "w1", "b1", N, K)});"));
        _w.Close();
        _w.Line();
        _w.Open(Invariant($"if ({StopsAtCodes})"));
        _w.Line(Store("h1", K));
        _w.Line("continue;");
        _w.Close();
        _w.Line();
        _w.Line("// H2 = σ(H1·W2 + b2), X̂ = H2·W3 + b3");
        _w.Line(Invariant($"{Vec} h2 = {Sigmoid}({Affine("h1", "w2", "b2", K, N)});"));
        _w.Line(Invariant($"{Vec} xhat = {Affine("h2", "w3", "b3", N, N)};"));
        _w.Open(Invariant($"if ({ReturnsCost})"));
        _w.Line("// E = X̂ − X over the rows that exist (the load left zeros past them, where X̂ is not zero)");
        _w.Line(Invariant($"{Vec} e = (xhat - x0) & {RowsLeft(N)};"));
        _w.Line(Invariant($"sum += {V}.Sum(e * e);"));
        _w.Close();
        _w.Open("else");
        _w.Line(Store("xhat", N));
        _w.Close();
        _w.Close();
        _w.Line();
        _w.Open(Invariant($"if ({ReturnsCost})"));
        _w.Line(Invariant($"output = ({T})(sum / (2.0 * m));"));
        _w.Close();
        _w.Close();
        _w.Line();
    }

    /// <summary>The group of rows at r of <paramref name="input"/>, <paramref name="width"/> wide: the lanes of rows that exist.</summary>
    private string Load(string input, int width) =>
        Invariant($"{Partial}.Load(ref {Unsafe}.Add(ref {input}, r * {width}), {LaneRows(width)}, m - r)");

    /// <summary>Writes the group's rows that exist of <paramref name="value"/>, <paramref name="width"/> wide, to output.</summary>
    private string Store(string value, int width) =>
        Invariant($"{Partial}.Store({value}, ref {Unsafe}.Add(ref output, r * {width}), {KnownTypes.KernelScope.Math}.Min({_rows}, m - r) * {width});");

    /// <summary>
    /// Cost and gradient with rows in their layout. Each gradient of a weight row is a sum over rows of products
    /// lane (r, j) = a[r][i]·δ[r][j]: a permute and an FMA per row of the matrix into one accumulator, whose lanes of
    /// equal column are added once at the end. The error goes back through W3ᵀ and W2ᵀ as layers whose repeated rows
    /// are the weights' columns.
    /// </summary>
    private void Backward()
    {
        _w.NeverInlined();
        _w.Open(Invariant($"public static {T} Backward(ref {T} p, ref {T} x, ref {T} target, ref {T} gradient, int m)"));
        RepeatParameters();
        _w.Line("// The columns of W3 and W2, repeated the same way, for the error sent back through them.");
        for (int j = 0; j < N; j++)
        {
            _w.Line(Invariant($"{Vec} w3t_{j} = {Pattern(_spec.W3Offset + j, N, stride: N)};"));
        }

        for (int j = 0; j < N; j++)
        {
            _w.Line(Invariant($"{Vec} w2t_{j} = {Pattern(_spec.W2Offset + j, K, stride: N)};"));
        }

        _w.Line("// Gradient accumulators: one per row of each weight matrix, one per bias; lane (r, j) is column j.");
        _w.Line(Vec + " " + string.Join(", ", Accumulators().Select(a => a.Name + " = default")) + ";");
        _w.Line(Invariant($"{Vec} invM = {V}.Create(({T})1 / m);"));
        _w.Line("double sum = 0;");
        // The target is read only where it is not the input itself (a denoising Backward): the plain Backward reads x once.
        _w.Line(Invariant($"bool denoising = !{Unsafe}.AreSame(ref x, ref target);"));
        _w.Open(Invariant($"for (int r = 0; r < m; r += {_rows})"));
        _w.Line("// Only the lanes of the rows left (m − r of them) are read; the others load as zero.");
        _w.Line(Invariant($"{Vec} x0 = {Load("x", N)}, t0 = denoising ? {Load("target", N)} : x0;"));
        _w.Line(Invariant($"{Vec} h1 = {Sigmoid}({Affine("x0", "w1", "b1", N, K)});"));
        _w.Line(Invariant($"{Vec} h2 = {Sigmoid}({Affine("h1", "w2", "b2", K, N)});"));
        _w.Line(Invariant($"{Vec} e = ({Affine("h2", "w3", "b3", N, N)} - t0) & {RowsLeft(N)};"));
        _w.Line("sum += " + V + ".Sum(e * e);");
        _w.Line("// dX̂ = (X̂ − target)/m; dW3 += H2ᵀ·dX̂, db3 += colsum(dX̂)");
        _w.Line(Invariant($"{Vec} d = e * invM;"));
        AccumulateProducts("gw3", "h2", N, "d", N);
        _w.Line("gb3 += d;");
        _w.Line("// dZ2 = H2∘(1 − H2)∘(dX̂·W3ᵀ); dW2 += H1ᵀ·dZ2, db2 += colsum(dZ2)");
        _w.Line(Invariant($"{Vec} dz2 = {SigmoidGradient}(h2, {Affine("d", "w3t", null, N, N)});"));
        AccumulateProducts("gw2", "h1", K, "dz2", N);
        _w.Line("gb2 += dz2;");
        _w.Line("// dZ1 = H1∘(1 − H1)∘(dZ2·W2ᵀ); dW1 += Xᵀ·dZ1, db1 += colsum(dZ1)");
        _w.Line(Invariant($"{Vec} dz1 = {SigmoidGradient}(h1, {Affine("dz2", "w2t", null, N, K)});"));
        AccumulateProducts("gw1", "x0", N, "dz1", K);
        _w.Line("gb1 += dz1;");
        _w.Close();
        _w.Line("// Each accumulator's lanes of equal column added: lanes past the group's rows cleared, then halves folded.");
        foreach ((string name, int offset, int width) in Accumulators())
        {
            WriteColumnSums(name, offset, width);
        }

        _w.Line(Invariant($"return ({T})(sum / (2.0 * m));"));
        _w.Close();
        _w.Line();
    }

    /// <summary>The repeated parameter rows and biases of all three layers, for Backward.</summary>
    private void RepeatParameters()
    {
        _w.Line("// Each parameter row repeated once per row of a group, built once per call.");
        Repeat("w1", 0, N, K);
        _w.Line(Invariant($"{Vec} b1 = {Pattern(_spec.B1Offset, K)};"));
        Repeat("w2", _spec.W2Offset, K, N);
        _w.Line(Invariant($"{Vec} b2 = {Pattern(_spec.B2Offset, N)};"));
        Repeat("w3", _spec.W3Offset, N, N);
        _w.Line(Invariant($"{Vec} b3 = {Pattern(_spec.B3Offset, N)};"));
    }

    /// <summary>All bits set in the lanes of the group's rows that exist, for rows <paramref name="width"/> wide.</summary>
    private string RowsLeft(int width) =>
        Invariant($"{V}.As<{Index}, {T}>({V}.LessThan({LaneRows(width)}, {V}.Create(({Index})(m - r))))");

    /// <summary>Every gradient accumulator: its name, where its values go in the gradient, and its width.</summary>
    private IEnumerable<(string Name, int Offset, int Width)> Accumulators()
    {
        for (int i = 0; i < N; i++)
        {
            yield return (Invariant($"gw1_{i}"), i * K, K);
        }

        yield return ("gb1", _spec.B1Offset, K);
        for (int i = 0; i < K; i++)
        {
            yield return (Invariant($"gw2_{i}"), _spec.W2Offset + (i * N), N);
        }

        yield return ("gb2", _spec.B2Offset, N);
        for (int i = 0; i < N; i++)
        {
            yield return (Invariant($"gw3_{i}"), _spec.W3Offset + (i * N), N);
        }

        yield return ("gb3", _spec.B3Offset, N);
    }

    /// <summary>accumulator_i += permute(a, column i)·delta for each of the <paramref name="rows"/> columns of a.</summary>
    private void AccumulateProducts(string accumulator, string a, int rows, string delta, int width)
    {
        for (int i = 0; i < rows; i++)
        {
            _w.Line(Invariant($"{accumulator}_{i} = {Fma}({Column(rows, width, i, a)}, {delta}, {accumulator}_{i});"));
        }
    }

    /// <summary>
    /// gradient[offset + j] = the sum of <paramref name="name"/>'s lanes (r, j) over the group's rows, by
    /// <c>Lanes.StoreColumnSums</c>, which clears the lanes past them.
    /// </summary>
    private void WriteColumnSums(string name, int offset, int width) =>
        _w.Line(Invariant($"{KnownTypes.KernelScope.StoreColumnSums}({name}, ref {Unsafe}.Add(ref gradient, {_c.Label(offset)}), {width}, {_rows * width});"));

    /// <summary>
    /// Locals name_i for each row i of a rows × width weight matrix at <paramref name="offset"/>: lane (r, j) of
    /// every row r in a group holds element (i, j); lanes past the group's rows repeat the pattern and are unused.
    /// With <paramref name="declare"/> false, the locals exist already and are assigned.
    /// </summary>
    private void Repeat(string name, int offset, int rows, int width, bool declare = true)
    {
        for (int i = 0; i < rows; i++)
        {
            _w.Line(Invariant($"{(declare ? Vec + " " : "")}{name}_{i} = {Pattern(offset + (i * width), width)};"));
        }
    }

    /// <summary>
    /// <paramref name="count"/> parameters <paramref name="stride"/> apart from <paramref name="offset"/> (a row, or
    /// with the matrix's width as stride a column), repeated once per row of a group: lane (r, j) holds element j.
    /// </summary>
    private string Pattern(int offset, int count, int stride = 1)
    {
        if (count == 1)
        {
            return Invariant($"{V}.Create({Unsafe}.Add(ref p, {_c.Label(offset)}))");
        }

        if (stride == 1 && IsBroadcast(count, _t))
        {
            // Two floats read as one double and broadcast as a pair.
            return Invariant($"{KnownTypes.KernelScope.RepeatPair}{(_bits == 512 ? "" : "256")}(ref p, {_c.Label(offset)})");
        }

        // A whole vector of parameters around them (ending at the last parameter when they are near the end), permuted
        // so that lane (r, j) takes element j.
        int start = Math.Min(offset, _spec.ParameterCount - _lanes), first = offset - start;
        IEnumerable<int> lanes = Enumerable.Range(0, _lanes).Select(l => first + ((l % count) * stride));
        string name = stride == 1 ? Invariant($"Repeat{count}From{first}") : Invariant($"Repeat{count}From{first}By{stride}");
        Declare(name, Invariant($"private static {Vec} {name}(ref {T} p, int start) => {V}.Shuffle({V}.LoadUnsafe(ref p, (nuint)start), {IndexVector(lanes)});"));
        return Invariant($"{name}(ref p, {_c.Label(start)})");
    }

    /// <summary>
    /// bias + Σ_i permute(input, column i)·weights_i for a layer from <paramref name="inputs"/> to
    /// <paramref name="outputs"/> columns, as a chain of fused multiply-adds (without a bias, the first a product).
    /// </summary>
    private string Affine(string input, string weights, string? bias, int inputs, int outputs)
    {
        // Without a bias the chain starts from the first product.
        int first = bias is null ? 1 : 0;
        string seed = bias ?? Invariant($"{Column(inputs, outputs, 0, input)} * {weights}_0");
        var links = new List<string>();
        for (int i = inputs - 1; i >= first; i--)
        {
            links.Add(Invariant($"{Fma}({Column(inputs, outputs, i, input)}, {weights}_{i}, "));
        }

        return SourceWriter.Chain(links, seed);
    }

    /// <summary>Element (r, i) of <paramref name="vector"/>'s rows <paramref name="inputs"/> wide, in lanes (r, 0…outputs−1).</summary>
    private string Column(int inputs, int outputs, int i, string vector)
    {
        IEnumerable<int> lanes = Enumerable.Range(0, _lanes).Select(l => l / outputs < _rows ? ((l / outputs) * inputs) + i : i);
        return Shuffled(Invariant($"Column{i}Of{inputs}To{outputs}"), IndexVector(lanes), vector);
    }

    /// <summary>
    /// Each lane's row within a group of rows <paramref name="width"/> wide; lanes past the group's rows get the
    /// largest index, so no count of rows left selects them.
    /// </summary>
    private string LaneRows(int width)
    {
        string beyond = Index + ".MaxValue";
        IEnumerable<string> lanes = Enumerable.Range(0, _lanes).Select(l => l / width < _rows ? IndexLiteral(l / width) : beyond);
        // Past the group's rows: the largest index.
        return Indexed(Invariant($"RowOfLane{width}"), Invariant($"{V}.Create({string.Join(", ", lanes)})"));
    }

    private string IndexLiteral(int value) =>
        value.ToString(System.Globalization.CultureInfo.InvariantCulture) + _t.IndexSuffix;

    private static IEnumerable<string> Names(string name, int count) => Enumerable.Range(0, count).Select(i => Invariant($"{name}_{i}"));

    private string IndexVector(IEnumerable<int> lanes) =>
        Invariant($"{V}.Create({string.Join(", ", lanes.Select(IndexLiteral))})");
}
