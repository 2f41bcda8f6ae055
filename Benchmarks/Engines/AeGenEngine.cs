using System;

namespace AeGen.Benchmarks.Engines;

/// <summary>The generated model (shape baked in at compile time) with the runtime's SIMD Adam.</summary>
public sealed class AeGenEngine(IAutoencoder<float> model, int rows) : Engine(model.Inputs, model.Hidden, rows)
{
    private readonly float[] _gradient = new float[model.ParameterCount];
    private readonly OptimizerState<float> _adam =
        new Adam(LearningRate, Beta1, Beta2, Epsilon).CreateState<float>(model.ParameterCount);

    public override string Name => "AeGen";

    /// <summary>The generated model itself, as a user holds it.</summary>
    public IAutoencoder<float> Model => model;

    public override void Load(ReadOnlySpan<float> parameters)
    {
        parameters.CopyTo(model.Parameters);
        _adam.Reset();
    }

    public override void Forward(float[] x, float[] xhat) => model.Forward(x, xhat);

    public override float Gradient(float[] x, float[] gradient) => model.Backward(x, gradient);

    public override float TrainStep(float[] x)
    {
        float cost = model.Backward(x, _gradient);
        _adam.Step(model.Parameters, _gradient, LearningRate);
        return cost;
    }
}
