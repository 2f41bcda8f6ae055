using System;

namespace AeGen.Benchmarks.Engines;

/// <summary>Adam (Kingma and Ba) with bias correction, as torch.optim.Adam computes it, in plain loops.</summary>
public sealed class AdamState(int count)
{
    private readonly float[] _m = new float[count];
    private readonly float[] _v = new float[count];
    private int _t;

    public void Reset()
    {
        Array.Clear(_m);
        Array.Clear(_v);
        _t = 0;
    }

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        _t++;
        float c1 = 1 - MathF.Pow(Engine.Beta1, _t);
        float c2 = MathF.Sqrt(1 - MathF.Pow(Engine.Beta2, _t));
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradient[i];
            _m[i] = (Engine.Beta1 * _m[i]) + ((1 - Engine.Beta1) * g);
            _v[i] = (Engine.Beta2 * _v[i]) + ((1 - Engine.Beta2) * g * g);
            parameters[i] -= Engine.LearningRate * (_m[i] / c1) / ((MathF.Sqrt(_v[i]) / c2) + Engine.Epsilon);
        }
    }
}
