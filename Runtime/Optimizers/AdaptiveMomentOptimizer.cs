using System;

namespace AeGen;

/// <summary>
/// What <see cref="Adam"/> and <see cref="AdamW"/> share: moment decays, ε and a weight decay, checked once. The two
/// differ only in where the decay enters: added to the gradient (Adam's L2 term) or applied to the parameters (AdamW).
/// </summary>
public abstract class AdaptiveMomentOptimizer : Optimizer
{
    private readonly bool _decoupled;

    /// <summary>Checks and stores the hyperparameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    private protected AdaptiveMomentOptimizer(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
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
        _decoupled = decoupled;
    }

    /// <summary>β₁, the decay of the first-moment estimate.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second-moment estimate.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added after the square root.</summary>
    public double Epsilon { get; }

    /// <summary>λ: added to the gradient as λ·p by <see cref="Adam"/>, applied as p·(1 − η·λ) by <see cref="AdamW"/>.</summary>
    public double WeightDecay { get; }

    internal override string? Describe() =>
        $"{(_decoupled ? "adamw" : "adam")} learning_rate={Exact(LearningRate)} beta1={Exact(Beta1)} beta2={Exact(Beta2)} epsilon={Exact(Epsilon)} weight_decay={Exact(WeightDecay)}";

    /// <inheritdoc/>
    public override OptimizerState<T> CreateState<T>(int parameterCount) =>
        new AdamState<T>(parameterCount, Beta1, Beta2, Epsilon, WeightDecay, _decoupled);
}
