using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using AeGen.Onnx;
using AeGen.Tests.Checkpoints;
using AeGen.Tests.Models;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace AeGen.Tests.Onnx;

/// <summary>
/// Exported models run in ONNX Runtime, an engine that shares no code with AeGen, and give what the model gives:
/// <c>xhat</c> is <c>Reconstruct</c>, <c>code</c> is <c>Encode</c> of the scaled rows, <c>score</c> is <c>Score</c>,
/// for raw rows in the caller's units. Agreement is relative (values below 1 compared as if they were 1): 1e-5 in
/// single precision, where the two engines sum the products in different orders (3e-5 for the 2,048-wide model), and
/// 1e-12 in double.
/// </summary>
public class OnnxExportTests
{
    private const double FloatTolerance = 1e-5;
    private const double DoubleTolerance = 1e-12;

    public static IEnumerable<object[]> Models() =>
    [
        [new OnnxF1x1(), false], [new D1x1(), false],
        [new F2x2(), false], [new Seed2x2(), false],
        [new F8x3(), false], [new D8x3(), false],
        [new F64x16(), true], [new D64x16(), true],
        [new OnnxF784x64(), false], [new OnnxD784x64(), true],
        // The largest shapes the tests afford: 12.6 million parameters in float, 0.8 million in double.
        [new F2048x2048(), false], [new D1024x256(), true],
    ];

    [Theory]
    [MemberData(nameof(Models))]
    public void Onnx_Runtime_gives_what_the_model_gives(object model, bool scaled)
    {
        switch (model)
        {
            case IAutoencoder<float> single:
                // A sum of 2,048 float products carries some 3·10⁻⁶ of rounding in each engine, in different orders:
                // without AVX (CI runs these tests so too) AeGen and ONNX Runtime then differ by up to 1.04·10⁻⁵.
                Check(single, scaled, single.Inputs >= 2048 ? 3 * FloatTolerance : FloatTolerance);
                break;
            case IAutoencoder<double> wide:
                Check(wide, scaled, DoubleTolerance);
                break;
            default:
                throw new ArgumentException($"{model.GetType().Name} is not a model.", nameof(model));
        }
    }

    [Fact]
    public void The_file_says_what_the_model_is()
    {
        var model = new F64x16(seed: 3);
        double[] rows = Rows(64, 200, seed: 4);
        model.Scaler = FeatureScaler.Fit<double>(ScalerKind.MinMax, rows, 64);
        using var session = new InferenceSession(model.ToOnnx());
        ModelMetadata metadata = session.ModelMetadata;
        Assert.Equal("AeGen", metadata.ProducerName);
        Assert.Equal("ai.aegen", metadata.Domain);
        Dictionary<string, string> properties = metadata.CustomMetadataMap;
        Assert.Equal("64", properties["aegen.inputs"]);
        Assert.Equal("16", properties["aegen.hidden"]);
        Assert.Equal("float", properties["aegen.precision"]);
        Assert.Equal("MinMax", properties["aegen.scaler"]);
        Assert.Equal("w1 [64, 16], b1 [16], w2 [16, 64], b2 [64], w3 [64, 64], b3 [64]", properties["aegen.tensors"]);
        Assert.Equal(typeof(IAutoencoder<>).Assembly.GetName().Version!.ToString(3), properties["aegen.version"]);
        Assert.Contains("64 inputs, 16 hidden units, float precision, scaler MinMax", metadata.Description, StringComparison.Ordinal);

        Assert.Equal(["x"], session.InputMetadata.Keys);
        Assert.Equal([-1, 64], session.InputMetadata["x"].Dimensions);
        Assert.Equal(["batch", ""], session.InputMetadata["x"].SymbolicDimensions);
        Assert.Equal(["xhat", "code", "score"], session.OutputMetadata.Keys);
        Assert.Equal([-1, 64], session.OutputMetadata["xhat"].Dimensions);
        Assert.Equal([-1, 16], session.OutputMetadata["code"].Dimensions);
        Assert.Equal([-1], session.OutputMetadata["score"].Dimensions);
        Assert.Equal(typeof(float), session.OutputMetadata["score"].ElementType);
    }

    [Fact]
    public void A_model_with_a_parameter_that_is_not_finite_is_not_exported()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "model.onnx");
        var model = new F8x3(seed: 1);
        model.ExportOnnx(path);
        byte[] before = File.ReadAllBytes(path);
        model.Parameters[F8x3.W2Offset + 5] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => model.ExportOnnx(path));
        Assert.Contains("tensor 'w2' element 5 is NaN", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(directory.Path));
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => model.ExportOnnx(stream));
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Writing_into_a_folder_that_does_not_exist_names_the_path_given()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "missing", "model.onnx");
        var error = Assert.ThrowsAny<IOException>(() => new F2x2().ExportOnnx(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_the_stream_and_the_bytes_hold_the_same_model()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "model.onnx");
        var model = new D8x3(seed: 2);
        model.ExportOnnx(path);
        using var stream = new MemoryStream();
        model.ExportOnnx(stream);
        Assert.Equal(model.ToOnnx(), File.ReadAllBytes(path));
        Assert.Equal(model.ToOnnx(), stream.ToArray());
    }

    [Fact]
    public void A_row_that_cannot_be_scored_scores_infinity_in_onnx_runtime_too()
    {
        var model = new F64x16(seed: 5);
        float[] rows = Array.ConvertAll(Rows(64, 4, seed: 2), v => (float)v);
        model.Scaler = FeatureScaler.Fit<float>(ScalerKind.MinMax, rows, 64);
        rows[64 + 3] = float.NaN;
        rows[(2 * 64) + 10] = float.PositiveInfinity;
        rows[(3 * 64) + 63] = float.NegativeInfinity;

        using var session = new InferenceSession(model.ToOnnx());
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(rows, [4, 64]);
        using var run = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(run, ["x"], [input], ["score"]);
        ReadOnlySpan<float> served = outputs[0].GetTensorDataAsSpan<float>();

        float[] scores = model.Score(rows);
        Assert.True(float.IsFinite(scores[0]));
        Assert.Equal(scores[0], served[0], 1e-5f * Math.Max(1, scores[0]));
        Assert.Equal([float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity], scores[1..]);
        Assert.Equal([float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity], served[1..].ToArray());
    }

    private static void Check<T>(IAutoencoder<T> model, bool scaled, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = model.Inputs, k = model.Hidden;
        model.Initialize(seed: n + k);
        // Biases start at zero; moved off it, a graph that mixed up two of them would show.
        var random = new Random(k);
        Span<T> parameters = model.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += T.CreateChecked(0.2 * (random.NextDouble() - 0.5));
        }

        // Raw rows in units far from the scaled ones where there is a scaler; otherwise values the sigmoids do not
        // saturate on.
        double[] raw = scaled ? Rows(n, 1000, seed: n) : Rows(n, 1000, seed: n, center: 0, spread: 1);
        if (scaled)
        {
            model.Scaler = FeatureScaler.Fit<double>(ScalerKind.MinMax, raw, n);
        }

        T[] all = Array.ConvertAll(raw, v => T.CreateChecked(v));
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model.ToOnnx(), options);
        foreach (int m in new[] { 1, 5, 1000 })
        {
            ReadOnlySpan<T> rows = all.AsSpan(0, m * n);
            var xhat = new T[m * n];
            model.Reconstruct(rows, xhat);
            var scaledRows = new T[m * n];
            if (model.Scaler is { } scaler)
            {
                scaler.Transform(rows, scaledRows);
            }
            else
            {
                rows.CopyTo(scaledRows);
            }

            var code = new T[m * k];
            model.Encode(scaledRows, code);
            T[] score = model.Score(rows);

            using OrtValue input = OrtValue.CreateTensorValueFromMemory(rows.ToArray(), [m, n]);
            using var run = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(run, ["x"], [input], ["xhat", "code", "score"]);
            string what = $"{model.GetType().Name}, {m} rows";
            Agree(xhat, outputs[0].GetTensorDataAsSpan<T>(), tolerance, what + ", xhat");
            Agree(code, outputs[1].GetTensorDataAsSpan<T>(), tolerance, what + ", code");
            Agree(score, outputs[2].GetTensorDataAsSpan<T>(), tolerance, what + ", score");
            Assert.Equal([m, n], outputs[0].GetTensorTypeAndShape().Shape);
            Assert.Equal([m], outputs[2].GetTensorTypeAndShape().Shape);
        }
    }

    private static void Agree<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateChecked(expected[i]), a = double.CreateChecked(actual[i]);
            Assert.True(
                Math.Abs(a - e) <= tolerance * Math.Max(1, Math.Abs(e)),
                $"{what}[{i}]: AeGen {e:R}, ONNX Runtime {a:R}.");
        }
    }

    /// <summary>m rows of <paramref name="n"/> values, each within <paramref name="spread"/> of its column's center.</summary>
    private static double[] Rows(int n, int m, int seed, double center = 40, double spread = 15)
    {
        var random = new Random(seed);
        double[] rows = new double[m * n];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = center + (spread * ((random.NextDouble() * 2) - 1)) + (center == 0 ? 0 : i % n);
        }

        return rows;
    }
}

[Autoencoder(1, 1)]
public partial class OnnxF1x1;

[Autoencoder(784, 64)]
public partial class OnnxF784x64;

[Autoencoder(784, 64, Precision = Precision.Double)]
public partial class OnnxD784x64;
