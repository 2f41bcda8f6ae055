namespace AeGen;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019), following PyTorch's <c>torch.optim.AdamW</c>: the parameters first shrink,
/// p ← p·(1 − η·λ), and then take the <see cref="Adam"/> step computed from the raw gradient. Unlike an L2 term,
/// the decay is not rescaled by the moment estimates.
/// </summary>
public sealed class AdamW : AdaptiveMomentOptimizer
{
    /// <summary>Configures AdamW.</summary>
    /// <param name="learningRate">η, positive.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <param name="weightDecay">λ ≥ 0, decoupled (PyTorch's default is 0.01).</param>
    /// <exception cref="System.ArgumentOutOfRangeException">A value is outside its range.</exception>
    public AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true)
    {
    }
}
