using System;
using AeGen.Benchmarks.Engines;

namespace AeGen.Benchmarks;

/// <summary>A benchmarked shape: n, k, the batch size m, and the generated model for it.</summary>
public sealed record Workload(string Name, int Inputs, int Hidden, int Rows, Func<IAutoencoder<float>> CreateModel)
{
    public static readonly Workload[] All =
    [
        new("2x2 m5", 2, 2, 5, () => new Seed2x2()),
        new("8x3 m64", 8, 3, 64, () => new Small8x3()),
        new("64x16 m256", 64, 16, 256, () => new Digits64x16()),
        new("784x64 m128", 784, 64, 128, () => new Mnist784x64()),
        new("2048x256 m256", 2048, 256, 256, () => new Wide2048x256()),
    ];

    /// <summary>Floating-point operations of one forward pass: 2m(nk + kn + n²).</summary>
    public double ForwardFlops => 2.0 * Rows * ((2.0 * Inputs * Hidden) + ((double)Inputs * Inputs));

    /// <summary>Floating-point operations of a training step, as the issue counts them: 6mn² + 10mnk.</summary>
    public double TrainStepFlops => (6.0 * Rows * Inputs * Inputs) + (10.0 * Rows * Inputs * Hidden);

    public static Workload Named(string name) =>
        Array.Find(All, w => w.Name == name) ?? throw new ArgumentException($"No workload '{name}'.", nameof(name));

    /// <summary>Every engine for this workload, all starting from the generated model's initial parameters.</summary>
    public Engine Create(string engine)
    {
        IAutoencoder<float> model = CreateModel();
        Engine created = engine switch
        {
            "AeGen" => new AeGenEngine(model, Rows),
            "Loops" => new LoopsEngine(Inputs, Hidden, Rows),
            "TensorPrimitives" => new TensorPrimitivesEngine(Inputs, Hidden, Rows),
            "MathNet" => new MathNetEngine(Inputs, Hidden, Rows),
            "TorchSharp" => new TorchSharpEngine(Inputs, Hidden, Rows),
            "OnnxRuntime" => new OnnxRuntimeEngine(CreateModel(), Rows),
            _ => throw new ArgumentException($"No engine '{engine}'.", nameof(engine)),
        };
        created.Load(model.Parameters);
        return created;
    }

    /// <summary>m rows of n values in [0, 1), the same for every engine.</summary>
    public float[] Data()
    {
        var random = new SplitMix64(2026);
        var x = new float[Rows * Inputs];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        return x;
    }

    public override string ToString() => Name;
}

// The seed's own shape: k = n does not compress, which is beside the point of timing it.
#pragma warning disable AEG006
[Autoencoder(2, 2)]
public partial class Seed2x2;
#pragma warning restore AEG006

[Autoencoder(8, 3)]
public partial class Small8x3;

[Autoencoder(64, 16)]
public partial class Digits64x16;

[Autoencoder(784, 64)]
public partial class Mnist784x64;

// W3 alone is 16 MB: larger than any core's L2 cache, so it shows whether the kernels block for the cache.
[Autoencoder(2048, 256)]
public partial class Wide2048x256;
