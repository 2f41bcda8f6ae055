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
public sealed class Adam : AdaptiveMomentOptimizer
{
    /// <summary>Configures Adam.</summary>
    /// <param name="learningRate">η, positive (PyTorch's default is 0.001).</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε, positive; added after the square root.</param>
    /// <param name="weightDecay">λ ≥ 0, an L2 term added to the gradient (see <see cref="AdamW"/> for decoupled decay).</param>
    /// <exception cref="System.ArgumentOutOfRangeException">A value is outside its range.</exception>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false)
    {
    }
}
