using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AeGen;

/// <summary>
/// Stochastic gradient descent with PyTorch's <c>torch.optim.SGD</c> semantics. For each parameter p with gradient g:
/// <code>
/// g ← g + λ·p                               (weight decay λ, an L2 term)
/// b ← g at the first step, else μ·b + (1 − τ)·g   (momentum μ, dampening τ; skipped when μ = 0)
/// g ← g + μ·b if Nesterov, else b
/// p ← p − η·g
/// </code>
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Configures plain, momentum or Nesterov SGD.</summary>
    /// <param name="learningRate">η, positive.</param>
    /// <param name="momentum">μ in [0, 1); 0 turns momentum off.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0 and τ = 0, as in PyTorch).</param>
    /// <param name="dampening">τ in [0, 1].</param>
    /// <param name="weightDecay">λ ≥ 0, added to the gradient as λ·p.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    /// <exception cref="ArgumentException">Nesterov is asked for without momentum or with dampening.</exception>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double dampening = 0, double weightDecay = 0)
        : base(learningRate)
    {
        RequireFraction(momentum, nameof(momentum));
        RequireFraction(dampening, nameof(dampening), oneAllowed: true);
        if (!(weightDecay >= 0) || !double.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"weightDecay must be finite and not negative, but it is {weightDecay}.");
        }

        if (nesterov && (momentum == 0 || dampening != 0))
        {
            throw new ArgumentException(
                $"Nesterov momentum needs momentum > 0 and dampening = 0, but momentum is {momentum} and dampening is {dampening}.",
                nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        Dampening = dampening;
        WeightDecay = weightDecay;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the step uses Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>τ.</summary>
    public double Dampening { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    internal override string? Describe() =>
        $"sgd learning_rate={Exact(LearningRate)} momentum={Exact(Momentum)} nesterov={(Nesterov ? "true" : "false")} dampening={Exact(Dampening)} weight_decay={Exact(WeightDecay)}";

    /// <inheritdoc/>
    public override OptimizerState<T> CreateState<T>(int parameterCount) => new State<T>(this, parameterCount);

    private sealed class State<T>(Sgd options, int parameterCount) : OptimizerState<T>(parameterCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] _momentumBuffer = new T[options.Momentum == 0 ? 0 : parameterCount];

        protected override void ClearBuffers() => Array.Clear(_momentumBuffer);

        internal override (string Name, T[] Values)[] Buffers() =>
            _momentumBuffer.Length == 0 ? [] : [("momentum", _momentumBuffer)];

        // Compiled optimized at once, as Adam's update is: a loop first runs unoptimized code until the runtime's
        // tiering recompiles it, which a short Fit may never wait for.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        protected override void Apply(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate, long step)
        {
            T lr = T.CreateChecked(learningRate);
            T decay = T.CreateChecked(options.WeightDecay);
            T mu = T.CreateChecked(options.Momentum);
            T keep = T.One - T.CreateChecked(options.Dampening);
            bool useMomentum = options.Momentum != 0;
            bool first = step == 1;
            bool nesterov = options.Nesterov;
            Span<T> buffer = _momentumBuffer;

            int i = 0;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            {
                Span<Vector<T>> p = MemoryMarshal.Cast<T, Vector<T>>(parameters);
                ReadOnlySpan<Vector<T>> g = MemoryMarshal.Cast<T, Vector<T>>(gradient);
                Span<Vector<T>> b = MemoryMarshal.Cast<T, Vector<T>>(buffer);
                var vLr = new Vector<T>(lr);
                var vDecay = new Vector<T>(decay);
                var vMu = new Vector<T>(mu);
                var vKeep = new Vector<T>(keep);
                for (int j = 0; j < p.Length; j++)
                {
                    Vector<T> d = g[j] + (vDecay * p[j]);
                    if (useMomentum)
                    {
                        b[j] = first ? d : (vMu * b[j]) + (vKeep * d);
                        d = nesterov ? d + (vMu * b[j]) : b[j];
                    }

                    p[j] -= vLr * d;
                }

                i = p.Length * Vector<T>.Count;
            }

            for (; i < parameters.Length; i++)
            {
                T d = gradient[i] + (decay * parameters[i]);
                if (useMomentum)
                {
                    buffer[i] = first ? d : (mu * buffer[i]) + (keep * d);
                    d = nesterov ? d + (mu * buffer[i]) : buffer[i];
                }

                parameters[i] -= lr * d;
            }
        }
    }
}
