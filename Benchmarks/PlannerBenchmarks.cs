using System;
using AeGen.Kernels;
using BenchmarkDotNet.Attributes;

namespace AeGen.Benchmarks;

/// <summary>
/// What a dense model's kernel plan costs when a process first uses the shape: timing the candidate blockings on
/// slices of the model's products. The kernels it tries are compiled by the first iteration, so this is the
/// measuring alone, as for every shape after a process's first.
/// </summary>
public class PlannerBenchmarks
{
    private IAutoencoder<float> _model = null!;

    public static string[] Shapes => ["64x16", "784x64", "2048x256"];

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "784x64";

    [GlobalSetup]
    public void Setup() => _model = Shape switch
    {
        "64x16" => new Digits64x16(),
        "784x64" => new Mnist784x64(),
        _ => new Wide2048x256(),
    };

    [Benchmark]
    public string PlanTheShape()
    {
        KernelPlanner.Reset();
        return KernelPlans.Plan(_model);
    }
}
