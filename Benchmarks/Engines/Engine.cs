using System;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// One way of computing the seed network. Every engine holds its own copy of the parameters, starts from the
/// same values (in AeGen's layout: W1, b1, W2, b2, W3, b3, row-major) and trains with Adam at the same settings.
/// </summary>
public abstract class Engine : IDisposable
{
    /// <summary>Adam's settings, PyTorch's defaults but the learning rate.</summary>
    public const float LearningRate = 1e-3f, Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;

    protected Engine(int inputs, int hidden, int rows)
    {
        Inputs = inputs;
        Hidden = hidden;
        Rows = rows;
        Layout = new ParameterLayout(inputs, hidden);
    }

    public abstract string Name { get; }

    public int Inputs { get; }

    public int Hidden { get; }

    /// <summary>The batch size m the engine's buffers are sized for.</summary>
    public int Rows { get; }

    protected ParameterLayout Layout { get; }

    /// <summary>Replaces the engine's parameters (and resets its optimizer state).</summary>
    public abstract void Load(ReadOnlySpan<float> parameters);

    /// <summary>X̂ for the m rows of <paramref name="x"/>.</summary>
    public abstract void Forward(float[] x, float[] xhat);

    /// <summary>S and dS/dθ in AeGen's layout; for checking agreement, not timed.</summary>
    public abstract float Gradient(float[] x, float[] gradient);

    /// <summary>One training step: the gradient and an Adam update. Returns S before the update.</summary>
    public abstract float TrainStep(float[] x);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
