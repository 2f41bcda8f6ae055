using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;

namespace AeGen.Onnx;

/// <summary>
/// Builds the ONNX model of an autoencoder: the network as MatMul, Add and Sigmoid nodes over its parameters, the
/// scaler folded in front (and its inverse behind the reconstruction), and the anomaly score as an output, so a
/// serving engine given raw rows computes what <c>Reconstruct</c>, <c>Encode</c> and <c>Score</c> compute. Where the
/// model has a scaler, the graph scales in double precision and rounds once, as <see cref="FeatureScaler"/> does, so
/// the scaled rows are the same to the bit.
/// </summary>
internal static class AutoencoderGraph
{
    /// <summary>The IR version of opset 17 (ONNX 1.12), which ONNX Runtime 1.12 and every later one reads.</summary>
    public const long IrVersion = 8;

    /// <summary>The opset of the default domain the graph's nodes come from.</summary>
    public const long Opset = 17;

    // TensorProto.DataType.
    private const int FloatType = 1;
    private const int DoubleType = 11;

    // AttributeProto.AttributeType.
    private const int IntAttribute = 2;
    private const int IntsAttribute = 7;

    /// <summary>The serialized ModelProto of <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">A parameter of the model is not finite.</exception>
    public static byte[] Build<T>(IAutoencoder<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool single = typeof(T) == typeof(float);
        int element = single ? FloatType : DoubleType;
        string precision = single ? "float" : "double";
        int n = model.Inputs, k = model.Hidden;
        ReadOnlySpan<T> parameters = model.Parameters;
        var layout = new ParameterLayout(n, k);
        int bad = FiniteCheck.FirstNonFinite(parameters);
        if (bad >= 0)
        {
            ParameterTensor tensor = Array.FindLast(layout.Tensors, t => t.Start <= bad);
            throw new ArgumentException(
                $"Cannot export a model whose parameters are not all finite: tensor '{tensor.Name}' element {bad - tensor.Start} is {parameters[bad]}.",
                nameof(model));
        }

        var graph = new Graph();
        foreach (ParameterTensor tensor in layout.Tensors)
        {
            ReadOnlySpan<T> values = parameters.Slice(tensor.Start, tensor.Length);
            graph.Initializers.Add(new Initializer(tensor.Name, Array.ConvertAll(tensor.Shape, d => (long)d), element, Bytes(values), Describe(tensor)));
        }

        FeatureScaler? scaler = model.Scaler;
        string scaled = "x";
        if (scaler is not null)
        {
            // x′ = (x − shift) / divisor in double, rounded once to the model's precision: FeatureScaler.Transform.
            graph.Initializers.Add(new Initializer("scaler_shift", [n], DoubleType, ProtoWriter.LittleEndian(scaler.Shift), "What the scaler subtracts from each column."));
            graph.Initializers.Add(new Initializer("scaler_divisor", [n], DoubleType, ProtoWriter.LittleEndian(scaler.Divisor), "What the scaler divides each shifted column by."));
            string wide = single ? graph.Cast("x", DoubleType, "x_double") : "x";
            graph.Add("Sub", [wide, "scaler_shift"], "x_shifted");
            graph.Add("Div", ["x_shifted", "scaler_divisor"], single ? "x_scaled_double" : "x_scaled");
            scaled = single ? graph.Cast("x_scaled_double", FloatType, "x_scaled") : "x_scaled";
        }

        // H1 = σ(X·W1 + b1), H2 = σ(H1·W2 + b2), X̂ = H2·W3 + b3, in the scaled space.
        graph.Add("MatMul", [scaled, "w1"], "z1_product");
        graph.Add("Add", ["z1_product", "b1"], "z1");
        graph.Add("Sigmoid", ["z1"], "code");
        graph.Add("MatMul", ["code", "w2"], "z2_product");
        graph.Add("Add", ["z2_product", "b2"], "z2");
        graph.Add("Sigmoid", ["z2"], "h2");
        graph.Add("MatMul", ["h2", "w3"], "xhat_product");
        string reconstruction = scaler is null ? "xhat" : "xhat_scaled";
        graph.Add("Add", ["xhat_product", "b3"], reconstruction);

        // The score: (1/n)·Σⱼ(x′ⱼ − x̂′ⱼ)² per row, as model.Score computes it.
        graph.Add("Sub", [scaled, reconstruction], "residual");
        graph.Add("Mul", ["residual", "residual"], "residual_squared");
        graph.Add("ReduceMean", ["residual_squared"], "mean_squared_error", new Attribute("axes", Ints: [1]), new Attribute("keepdims", Int: 0));
        // A row that cannot be scored scores +∞, as in model.Score: its error is NaN (or already +∞).
        T[] unscorable = [T.PositiveInfinity];
        graph.Initializers.Add(new Initializer("unscorable", [], element, Bytes<T>(unscorable), "The score of a row that cannot be scored (it holds NaN or an infinity): +∞, above every threshold."));
        graph.Add("IsNaN", ["mean_squared_error"], "not_a_number");
        graph.Add("Where", ["not_a_number", "unscorable", "mean_squared_error"], "score");

        if (scaler is not null)
        {
            // x = x̂′·divisor + shift in double, rounded once: FeatureScaler.InverseTransform.
            string wide = single ? graph.Cast(reconstruction, DoubleType, "xhat_scaled_double") : reconstruction;
            graph.Add("Mul", [wide, "scaler_divisor"], "xhat_stretched");
            graph.Add("Add", ["xhat_stretched", "scaler_shift"], single ? "xhat_double" : "xhat");
            if (single)
            {
                graph.Cast("xhat_double", FloatType, "xhat");
            }
        }

        string units = scaler is null ? "" : " in the caller's units (the model's scaler is part of the graph)";
        graph.Inputs.Add(new Value("x", element, ["batch", n], $"Rows to reconstruct and score, {n} values each{units}."));
        graph.Outputs.Add(new Value("xhat", element, ["batch", n], $"The reconstruction of each row{units}: model.Reconstruct."));
        graph.Outputs.Add(new Value("code", element, ["batch", k], $"The bottleneck H1 = σ(x′·W1 + b1) of each {(scaler is null ? "" : "scaled ")}row: model.Encode."));
        graph.Outputs.Add(new Value("score", element, ["batch"], "Each row's anomaly score, the mean squared reconstruction error per value in the scaled space (+∞ for a row that cannot be scored): model.Score."));

        string version = typeof(IAutoencoder<>).Assembly.GetName().Version?.ToString(3) ?? "unknown";
        string scaling = scaler is null ? "none" : scaler.Kind.ToString();
        string tensors = string.Join(", ", layout.Tensors.Select(t => $"{t.Name} [{string.Join(", ", t.Shape)}]"));
        string doc = $"AeGen autoencoder: {n} inputs, {k} hidden units, {precision} precision, scaler {scaling}. "
            + $"x̂ = σ(σ(x′·W1 + b1)·W2 + b2)·W3 + b3 on the scaled rows x′. Parameters: {tensors}.";
        var metadata = new (string Key, string Value)[]
        {
            ("aegen.version", version),
            ("aegen.inputs", n.ToString(CultureInfo.InvariantCulture)),
            ("aegen.hidden", k.ToString(CultureInfo.InvariantCulture)),
            ("aegen.precision", precision),
            ("aegen.scaler", scaling),
            ("aegen.tensors", tensors),
            ("aegen.outputs", $"xhat [batch, {n}], code [batch, {k}], score [batch]"),
        };

        var root = new ProtoWriter();
        root.Int64(1, IrVersion)
            .String(2, "AeGen")
            .String(3, version)
            .String(4, "ai.aegen")
            .Int64(5, 1)
            .String(6, doc)
            .Message(7, g => graph.Write(g, $"aegen_{n}x{k}_{precision}", doc))
            .Message(8, opset => opset.String(1, "").Int64(2, Opset));
        foreach ((string key, string value) in metadata)
        {
            root.Message(14, entry => entry.String(1, key).String(2, value));
        }

        return root.Written.ToArray();
    }

    private static string Describe(ParameterTensor tensor) => tensor.Name switch
    {
        "w1" => "Encoder weights W1 (inputs × hidden).",
        "b1" => "Encoder bias b1.",
        "w2" => "Decoder weights W2 (hidden × inputs).",
        "b2" => "Decoder bias b2.",
        "w3" => "Output weights W3 (inputs × inputs).",
        _ => "Output bias b3.",
    };

    private static byte[] Bytes<T>(ReadOnlySpan<T> values)
        where T : unmanaged =>
        typeof(T) == typeof(float)
            ? ProtoWriter.LittleEndian(MemoryMarshal.Cast<T, float>(values))
            : ProtoWriter.LittleEndian(MemoryMarshal.Cast<T, double>(values));

    /// <summary>A node attribute: an integer or a list of integers, the only kinds this graph needs.</summary>
    private readonly record struct Attribute(string Name, long? Int = null, long[]? Ints = null);

    private sealed record Node(string Op, string[] Inputs, string Output, Attribute[] Attributes);

    private sealed record Initializer(string Name, long[] Dims, int Element, byte[] Data, string Doc);

    /// <summary>A graph input or output: its dimensions are sizes or, for the batch, a name.</summary>
    private sealed record Value(string Name, int Element, object[] Dims, string Doc);

    private sealed class Graph
    {
        private readonly List<Node> _nodes = [];

        public List<Initializer> Initializers { get; } = [];

        public List<Value> Inputs { get; } = [];

        public List<Value> Outputs { get; } = [];

        public void Add(string op, string[] inputs, string output, params Attribute[] attributes) =>
            _nodes.Add(new Node(op, inputs, output, attributes));

        /// <summary>Adds a Cast of <paramref name="input"/> to <paramref name="element"/> and returns its output's name.</summary>
        public string Cast(string input, int element, string output)
        {
            Add("Cast", [input], output, new Attribute("to", Int: element));
            return output;
        }

        // GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12.
        public void Write(ProtoWriter g, string name, string doc)
        {
            for (int i = 0; i < _nodes.Count; i++)
            {
                Node node = _nodes[i];
                g.Message(1, w => WriteNode(w, node, i));
            }

            g.String(2, name);
            foreach (Initializer tensor in Initializers)
            {
                // TensorProto: dims 1, data_type 2, name 8, raw_data 9, doc_string 12.
                g.Message(5, t =>
                {
                    foreach (long dim in tensor.Dims)
                    {
                        t.Int64(1, dim);
                    }

                    t.Int64(2, tensor.Element).String(8, tensor.Name).Bytes(9, tensor.Data).String(12, tensor.Doc);
                });
            }

            g.String(10, doc);
            foreach (Value input in Inputs)
            {
                g.Message(11, v => WriteValue(v, input));
            }

            foreach (Value output in Outputs)
            {
                g.Message(12, v => WriteValue(v, output));
            }
        }

        // NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.
        private static void WriteNode(ProtoWriter w, Node node, int index)
        {
            foreach (string input in node.Inputs)
            {
                w.String(1, input);
            }

            w.String(2, node.Output).String(3, node.Op + "_" + index.ToString(CultureInfo.InvariantCulture) + "_" + node.Output).String(4, node.Op);
            foreach (Attribute attribute in node.Attributes)
            {
                // AttributeProto: name 1, i 3, ints 8, type 20.
                w.Message(5, a =>
                {
                    a.String(1, attribute.Name);
                    if (attribute.Ints is { } ints)
                    {
                        foreach (long value in ints)
                        {
                            a.Int64(8, value);
                        }

                        a.Int64(20, IntsAttribute);
                    }
                    else
                    {
                        a.Int64(3, attribute.Int!.Value).Int64(20, IntAttribute);
                    }
                });
            }
        }

        // ValueInfoProto: name 1, type 2 (TypeProto: tensor_type 1 (elem_type 1, shape 2 (dim 1 (dim_value 1 | dim_param 2)))), doc_string 3.
        private static void WriteValue(ProtoWriter v, Value value)
        {
            v.String(1, value.Name);
            v.Message(2, type => type.Message(1, tensor =>
            {
                tensor.Int64(1, value.Element);
                tensor.Message(2, shape =>
                {
                    foreach (object dim in value.Dims)
                    {
                        shape.Message(1, d =>
                        {
                            if (dim is string symbol)
                            {
                                d.String(2, symbol);
                            }
                            else
                            {
                                d.Int64(1, Convert.ToInt64(dim, CultureInfo.InvariantCulture));
                            }
                        });
                    }
                });
            }));
            v.String(3, value.Doc);
        }
    }
}
