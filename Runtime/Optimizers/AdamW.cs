using System;

namespace AeGen;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019), following PyTorch's <c>torch.optim.AdamW</c>: the parameters first shrink,
/// p ← p·(1 − η·λ), and then take the <see cref="Adam"/> step computed from the raw gradient. Unlike an L2 term,
/// the decay is not rescaled by the moment estimates.
/// </summary>
public sealed class AdamW : Optimizer
{
    /// <summary>Configures AdamW.</summary>
    /// <param name="learningRate">η, positive.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <param name="weightDecay">λ ≥ 0, decoupled (PyTorch's default is 0.01).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(learningRate)
    {
        RequireFraction(beta1, nameof(beta1));
        RequireFraction(beta2, nameof(beta2));
        RequirePositive(epsilon, nameof(epsilon));
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"weightDecay must be finite and not negative, but it is {weightDecay}.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>λ, the decoupled weight decay.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override OptimizerState<T> CreateState<T>(int parameterCount) =>
        new AdamState<T>(parameterCount, Beta1, Beta2, Epsilon, WeightDecay, decoupled: true);
}
