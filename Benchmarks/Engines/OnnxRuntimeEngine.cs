using System;
using AeGen.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// ONNX Runtime running the model that <c>ExportOnnx</c> writes, as a serving engine would: one intra-op thread, all
/// graph optimizations, and the input and output tensors created once over the caller's arrays, so a call is the run
/// alone. Inference only: it has no gradient or training step.
/// </summary>
public sealed class OnnxRuntimeEngine(IAutoencoder<float> model, int rows) : Engine(model.Inputs, model.Hidden, rows)
{
    private static readonly string[] InputNames = ["x"], OutputNames = ["xhat"];

    private readonly SessionOptions _options = new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    private readonly RunOptions _run = new();
    private InferenceSession? _session;
    private float[]? _boundX, _boundXhat;
    private OrtValue[] _inputs = [], _outputs = [];

    public override string Name => "OnnxRuntime";

    public override void Load(ReadOnlySpan<float> parameters)
    {
        parameters.CopyTo(model.Parameters);
        Release();
        _session?.Dispose();
        _session = new InferenceSession(model.ToOnnx(), _options);
    }

    public override void Forward(float[] x, float[] xhat)
    {
        InferenceSession session = _session ?? throw new InvalidOperationException("Load the parameters first.");
        if (!ReferenceEquals(x, _boundX) || !ReferenceEquals(xhat, _boundXhat))
        {
            // Tensors over the arrays themselves (pinned while they live): no copies in or out.
            Release();
            long m = x.Length / Inputs;
            _inputs = [OrtValue.CreateTensorValueFromMemory(x, [m, Inputs])];
            _outputs = [OrtValue.CreateTensorValueFromMemory(xhat, [m, Inputs])];
            (_boundX, _boundXhat) = (x, xhat);
        }

        session.Run(_run, InputNames, _inputs, OutputNames, _outputs);
    }

    public override float Gradient(float[] x, float[] gradient) =>
        throw new NotSupportedException("ONNX Runtime runs the exported model for inference only.");

    public override float TrainStep(float[] x) =>
        throw new NotSupportedException("ONNX Runtime runs the exported model for inference only.");

    public override void Dispose()
    {
        Release();
        _session?.Dispose();
        _run.Dispose();
        _options.Dispose();
        base.Dispose();
    }

    private void Release()
    {
        foreach (OrtValue value in _inputs)
        {
            value.Dispose();
        }

        foreach (OrtValue value in _outputs)
        {
            value.Dispose();
        }

        (_inputs, _outputs, _boundX, _boundXhat) = ([], [], null, null);
    }
}
