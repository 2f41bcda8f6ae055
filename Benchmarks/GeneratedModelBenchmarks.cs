using AeGen.Tests;

using BenchmarkDotNet.Attributes;

namespace AeGen.Benchmarks;

/// <summary>The generated 64×16 model on a batch of 256 rows: inference and one gradient evaluation.</summary>
[MemoryDiagnoser]
public class GeneratedModelBenchmarks
{
    private const int Rows = 256;
    private readonly Digits64x16 _model = new();
    private readonly float[] _x = new float[Rows * Digits64x16.Inputs];
    private readonly float[] _xhat = new float[Rows * Digits64x16.Inputs];
    private readonly float[] _gradient = new float[Digits64x16.ParameterCount];

    [GlobalSetup]
    public void Setup()
    {
        var random = new SplitMix64(1);
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = (float)random.NextDouble();
        }
    }

    [Benchmark]
    public float Forward()
    {
        _model.Forward(_x, _xhat);
        return _xhat[0];
    }

    [Benchmark]
    public float Backward() => _model.Backward(_x, _gradient);
}
