using System;
using System.Collections.Generic;

namespace AeGen.Tests.Training;

/// <summary>
/// A stand-in for a generated model whose cost is the quadratic ½·Σ(θ − ½)² (gradient θ − ½, whatever the rows),
/// which records every batch it sees and can be scripted to return NaN or given validation costs.
/// It lets trainer tests check batching, stopping and restoring exactly, without the network's numerics.
/// </summary>
internal sealed class ScriptedModel : IAutoencoder<double>
{
    private readonly double[] _parameters = new double[new ParameterLayout(2, 1).Count];

    public int Inputs => 2;

    public int Hidden => 1;

    public int ParameterCount => _parameters.Length;

    public Span<double> Parameters => _parameters;

    public FeatureScaler? Scaler { get; set; }

    /// <summary>The rows of every Backward call, in order.</summary>
    public List<double[]> Batches { get; } = [];

    /// <summary>The Backward call (0-based) whose cost is NaN, or −1.</summary>
    public int NaNAtCall { get; set; } = -1;

    /// <summary>Costs Cost returns in turn (validation); empty uses the quadratic.</summary>
    public Queue<double> ValidationCosts { get; } = new();

    public void Initialize(int seed) => Array.Fill(_parameters, seed);

    public void Forward(ReadOnlySpan<double> x, Span<double> xhat) => x.CopyTo(xhat);

    public void Encode(ReadOnlySpan<double> x, Span<double> code) => throw new NotSupportedException();

    public void Decode(ReadOnlySpan<double> code, Span<double> xhat) => throw new NotSupportedException();

    public double Cost(ReadOnlySpan<double> x) => ValidationCosts.Count > 0 ? ValidationCosts.Dequeue() : Quadratic();

    public double Backward(ReadOnlySpan<double> x, Span<double> gradient)
    {
        Batches.Add(x.ToArray());
        for (int i = 0; i < _parameters.Length; i++)
        {
            gradient[i] = _parameters[i] - 0.5;
        }

        return Batches.Count - 1 == NaNAtCall ? double.NaN : Quadratic();
    }

    /// <summary>As the other Backward: the quadratic does not read the rows, so the target changes nothing.</summary>
    public double Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> target, Span<double> gradient) => Backward(x, gradient);

    private double Quadratic()
    {
        double sum = 0;
        foreach (double p in _parameters)
        {
            sum += (p - 0.5) * (p - 0.5);
        }

        return sum / 2;
    }
}
