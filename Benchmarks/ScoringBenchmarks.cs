using System;
using BenchmarkDotNet.Attributes;

namespace AeGen.Benchmarks;

/// <summary>
/// Scoring and compressing a million in-memory rows with the 64×16 model and a min-max scaler, on one thread and on
/// two: the rows go through in blocks that the threads share, and the results are the same bits either way.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private const int Rows = 1_000_000;

    private readonly Digits64x16 _model = new();
    private float[] _rows = [];
    private float[] _scores = [];
    private float[] _codes = [];

    /// <summary>Threads scoring.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        const int n = Digits64x16.Inputs;
        _rows = new float[Rows * n];
        _scores = new float[Rows];
        _codes = new float[Rows * Digits64x16.Hidden];
        var random = new SplitMix64(5);
        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = (float)(random.NextDouble() * 16);
        }

        _model.Scaler = FeatureScaler.Fit(ScalerKind.MinMax, (ReadOnlySpan<float>)_rows.AsSpan(0, 10_000 * n), n);
    }

    [Benchmark]
    public float Score()
    {
        _model.Score(_rows, _scores, Threads);
        return _scores[Rows - 1];
    }

    [Benchmark]
    public float Compress()
    {
        _model.Compress(_rows, _codes, Threads);
        return _codes[^1];
    }
}
