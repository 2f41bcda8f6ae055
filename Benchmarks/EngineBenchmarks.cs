using System;
using System.Collections.Generic;
using AeGen.Benchmarks.Engines;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AeGen.Benchmarks;

/// <summary>
/// The same network on the same data in every engine, one thread each. Ratios are to AeGen within each workload
/// and category; the GFLOP/s column counts 2m(2nk + n²) for Forward and 6mn² + 10mnk for TrainStep.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class EngineBenchmarks
{
    private IAutoencoder<float> _model = null!;
    private Engine _aegen = null!, _loops = null!, _tensorPrimitives = null!, _mathNet = null!, _torch = null!;
    private Engine? _onnx;
    private float[] _x = [];
    private float[] _xhat = [];

    public static IEnumerable<string> Workloads() => Array.ConvertAll(Benchmarks.Workload.All, w => w.Name);

    [ParamsSource(nameof(Workloads))]
    public string Workload { get; set; } = "2x2 m5";

    [GlobalSetup]
    public void Setup()
    {
        Workload workload = Benchmarks.Workload.Named(Workload);
        _x = workload.Data();
        _xhat = new float[_x.Length];
        _aegen = workload.Create("AeGen");
        _model = ((AeGenEngine)_aegen).Model;
        _loops = workload.Create("Loops");
        _tensorPrimitives = workload.Create("TensorPrimitives");
        _mathNet = workload.Create("MathNet");
        string? torch = NativeTorch.Prepare();
        _torch = torch is null ? workload.Create("TorchSharp") : throw new InvalidOperationException("TorchSharp cannot load: " + torch);
    }

    /// <summary>
    /// The setup of ONNX Runtime's benchmark alone: every benchmark runs in a process of its own, and ONNX Runtime
    /// loaded beside AeGen's benchmarks added a few managed bytes of its own to their allocation counts.
    /// </summary>
    [GlobalSetup(Target = nameof(Forward_OnnxRuntime))]
    public void SetupOnnxRuntime()
    {
        Setup();
        _onnx = Benchmarks.Workload.Named(Workload).Create("OnnxRuntime");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (Engine? engine in new[] { _aegen, _loops, _tensorPrimitives, _mathNet, _torch, _onnx })
        {
            engine?.Dispose();
        }
    }

    /// <summary>
    /// The call a user makes, through the model's interface. The other engines need the <see cref="Engine"/> wrapper
    /// to share one signature; for AeGen that wrapper was one more call, measurable only at 2×2 (about 0.5 ns of 10).
    /// </summary>
    [BenchmarkCategory("Forward"), Benchmark(Baseline = true)]
    public float Forward_AeGen()
    {
        _model.Forward(_x, _xhat);
        return _xhat[^1];
    }

    [BenchmarkCategory("Forward"), Benchmark]
    public float Forward_Loops() => Forward(_loops);

    [BenchmarkCategory("Forward"), Benchmark]
    public float Forward_TensorPrimitives() => Forward(_tensorPrimitives);

    [BenchmarkCategory("Forward"), Benchmark]
    public float Forward_MathNet() => Forward(_mathNet);

    [BenchmarkCategory("Forward"), Benchmark]
    public float Forward_TorchSharp() => Forward(_torch);

    /// <summary>ONNX Runtime on the model ExportOnnx writes, its tensors bound once: inference only, so no TrainStep.</summary>
    [BenchmarkCategory("Forward"), Benchmark]
    public float Forward_OnnxRuntime() => Forward(_onnx!);

    [BenchmarkCategory("TrainStep"), Benchmark(Baseline = true)]
    public float TrainStep_AeGen() => _aegen.TrainStep(_x);

    [BenchmarkCategory("TrainStep"), Benchmark]
    public float TrainStep_Loops() => _loops.TrainStep(_x);

    [BenchmarkCategory("TrainStep"), Benchmark]
    public float TrainStep_TensorPrimitives() => _tensorPrimitives.TrainStep(_x);

    [BenchmarkCategory("TrainStep"), Benchmark]
    public float TrainStep_MathNet() => _mathNet.TrainStep(_x);

    [BenchmarkCategory("TrainStep"), Benchmark]
    public float TrainStep_TorchSharp() => _torch.TrainStep(_x);

    private float Forward(Engine engine)
    {
        engine.Forward(_x, _xhat);
        return _xhat[^1];
    }
}
