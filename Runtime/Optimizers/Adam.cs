using System;

namespace AeGen;

/// <summary>
/// Adam (Kingma and Ba, 2015) with bias correction, following PyTorch's <c>torch.optim.Adam</c>. With t counting steps from 1:
/// <code>
/// g ← g + λ·p                (weight decay λ as an L2 term, 0 by default)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// p ← p − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Configures Adam.</summary>
    /// <param name="learningRate">η, positive (PyTorch's default is 0.001).</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε, positive; added after the square root.</param>
    /// <param name="weightDecay">λ ≥ 0, an L2 term added to the gradient (see <see cref="AdamW"/> for decoupled decay).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
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

    /// <summary>β₁, the decay of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>λ, added to the gradient as λ·p.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override OptimizerState<T> CreateState<T>(int parameterCount) =>
        new AdamState<T>(parameterCount, Beta1, Beta2, Epsilon, WeightDecay, decoupled: false);
}
