using BenchmarkDotNet.Attributes;

namespace AeGen.Benchmarks;

/// <summary>
/// Four epochs of Fit on the 64×16 model with batch 1024, on one thread and on two: the issue asks for at least 1.7×
/// on two cores. The gradient is split into the same shards either way, so both runs compute identical parameters.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private const int Rows = 8192;
    private readonly float[] _x = new float[Rows * Digits64x16.Inputs];
    // Each call continues training the same model: the work per epoch does not depend on the parameters' values.
    private readonly Digits64x16 _model = new();

    /// <summary>Threads computing one gradient.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new SplitMix64(3);
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = (float)random.NextDouble();
        }
    }

    [Benchmark]
    public TrainingReport FourEpochsOfBatch1024() => _model.Fit(_x, new TrainingOptions
    {
        Epochs = 4,
        BatchSize = 1024,
        Optimizer = new Adam(learningRate: 0.01),
        MaxDegreeOfParallelism = Threads,
    });
}
