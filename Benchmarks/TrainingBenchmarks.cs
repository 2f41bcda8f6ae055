using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace AeGen.Benchmarks;

/// <summary>
/// Fit on one thread and on two, for a small model whose batch of 1,024 rows is split into shards of 256, and for
/// two large ones at batch 256, one shard, whose every large product is split between the threads instead. Either
/// way both runs compute identical parameters.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private IAutoencoder<float> _model = null!;
    private float[] _x = [];
    private TrainingCase _case = null!;

    /// <summary>The trainings: model, rows, batch size and epochs.</summary>
    public static IEnumerable<string> Trainings() => Array.ConvertAll(TrainingCase.All, c => c.Name);

    [ParamsSource(nameof(Trainings))]
    public string Training { get; set; } = TrainingCase.All[0].Name;

    /// <summary>Threads computing one gradient.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _case = Array.Find(TrainingCase.All, c => c.Name == Training) ?? throw new ArgumentException($"No training '{Training}'.");
        // Each call continues training the same model: the work per epoch does not depend on the parameters' values.
        _model = _case.CreateModel();
        _x = new float[_case.Rows * _model.Inputs];
        var random = new SplitMix64(3);
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = (float)random.NextDouble();
        }
    }

    [Benchmark]
    public TrainingReport Fit() => _model.Fit(_x, new TrainingOptions
    {
        Epochs = _case.Epochs,
        BatchSize = _case.BatchSize,
        Optimizer = new Adam(learningRate: 0.001),
        MaxDegreeOfParallelism = Threads,
    });

    /// <summary>One training setup of the suite.</summary>
    public sealed record TrainingCase(string Name, Func<IAutoencoder<float>> CreateModel, int Rows, int BatchSize, int Epochs)
    {
        public static readonly TrainingCase[] All =
        [
            new("64x16 b1024", () => new Digits64x16(), 8192, 1024, 4),
            new("784x64 b256", () => new Mnist784x64(), 2048, 256, 1),
            new("2048x256 b256", () => new Wide2048x256(), 1024, 256, 1),
        ];

        public override string ToString() => Name;
    }
}
