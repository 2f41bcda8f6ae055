using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AeGen;

/// <summary>
/// The moment estimates shared by <see cref="Adam"/> and <see cref="AdamW"/>, which differ only in how weight decay
/// enters: as an L2 term in the gradient (Adam) or as a shrink of the parameters before the step (AdamW).
/// The arithmetic follows PyTorch: step size η/(1 − β₁ᵗ), denominator √v/√(1 − β₂ᵗ) + ε.
/// </summary>
internal sealed unsafe class AdamState<T>(int parameterCount, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
    : OptimizerState<T>(parameterCount), AeGen.Kernels.ITeamWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // Rented (and cleared), so that repeated Fits of a large model reuse them; see ReturnBuffers. A rented array may be
    // longer than the parameters; only the first ParameterCount elements are used.
    private T[] _m = Rent(parameterCount);
    private T[] _v = Rent(parameterCount);

    // β1^t and β2^t for the bias corrections, kept as running products: two calls of Math.Pow cost more than the whole
    // update of a small model. The state's step count only ever grows by one or returns to zero.
    private double _beta1Power = 1;
    private double _beta2Power = 1;

    internal override void ReturnBuffers()
    {
        System.Buffers.ArrayPool<T>.Shared.Return(_m);
        System.Buffers.ArrayPool<T>.Shared.Return(_v);
        (_m, _v) = ([], []);
    }

    internal override (string Name, T[] Values)[] Buffers() => [("m", _m), ("v", _v)];

    /// <summary>β₁ᵗ and β₂ᵗ as the running products made them: recomputed by powers they could differ in their last bits.</summary>
    internal override double[] Scalars
    {
        get => [_beta1Power, _beta2Power];
        set => (_beta1Power, _beta2Power) = (value[0], value[1]);
    }

    protected override void ClearBuffers()
    {
        Array.Clear(_m);
        Array.Clear(_v);
        _beta1Power = 1;
        _beta2Power = 1;
    }

    protected override void Apply(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate, long step)
    {
        if (decoupled && weightDecay != 0)
        {
            T shrink = T.CreateChecked(1 - (learningRate * weightDecay));
            System.Numerics.Tensors.TensorPrimitives.Multiply(parameters, shrink, parameters);
        }

        Coefficients c = Advance(learningRate);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        Update(ref p, ref g, ref MemoryMarshal.GetArrayDataReference(_m), ref MemoryMarshal.GetArrayDataReference(_v), (nuint)parameters.Length, c);
    }

    /// <summary>Elements below which one thread updates them all: waking another costs more than it saves.</summary>
    private const int SharedLength = 1 << 18;

    internal override void ApplyShared(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate, long step, int maxDegreeOfParallelism)
    {
        // The team that shares the gradient's products, not one of its own size: a part per thread, or fewer for a
        // short vector.
        AeGen.Kernels.Team? team = AeGen.Kernels.Team.For(maxDegreeOfParallelism);
        int parts = team is null ? 1 : Math.Min(team.Workers, (parameters.Length / SharedLength) + 1);
        if (parts <= 1 || (decoupled && weightDecay != 0))
        {
            Apply(parameters, gradient, learningRate, step);
            return;
        }

        UpdateInParts(team!, parameters, gradient, Advance(learningRate), parts);
    }

    // The shared step in progress: the arrays are pinned by UpdateInParts for its duration.
    private T* _sharedParameters;
    private T* _sharedGradient;
    private int _sharedLength;
    private int _sharedParts;
    private Coefficients _sharedCoefficients;

    /// <summary>One step in <paramref name="parts"/> ranges of whole vectors, on as many threads of a team.</summary>
    private void UpdateInParts(AeGen.Kernels.Team team, Span<T> parameters, ReadOnlySpan<T> gradient, Coefficients c, int parts)
    {
        fixed (T* p = parameters, g = gradient)
        {
            _sharedParameters = p;
            _sharedGradient = g;
            _sharedLength = parameters.Length;
            _sharedParts = parts;
            _sharedCoefficients = c;
            try
            {
                team.Run(this, parts);
            }
            finally
            {
                _sharedParameters = null;
                _sharedGradient = null;
            }
        }
    }

    void AeGen.Kernels.ITeamWork.Run(int part)
    {
        // Whole vectors per part, the last part to the end: each part is long enough for its own closing window.
        int lanes = Vector<T>.Count, length = _sharedLength, parts = _sharedParts;
        int first = (int)((long)length * part / parts) / lanes * lanes;
        int end = part == parts - 1 ? length : (int)((long)length * (part + 1) / parts) / lanes * lanes;
        Update(ref _sharedParameters[first], ref _sharedGradient[first], ref _m[first], ref _v[first], (nuint)(end - first), _sharedCoefficients);
    }

    /// <summary>β1ᵗ and β2ᵗ one step on, and the step's coefficients from them.</summary>
    private Coefficients Advance(double learningRate)
    {
        _beta1Power = NextPower(_beta1Power, beta1);
        _beta2Power = NextPower(_beta2Power, beta2);
        return new Coefficients(
            L2: decoupled ? T.Zero : T.CreateChecked(weightDecay),
            Beta1: T.CreateChecked(beta1),
            Beta2: T.CreateChecked(beta2),
            OneMinusBeta1: T.CreateChecked(1 - beta1),
            OneMinusBeta2: T.CreateChecked(1 - beta2),
            StepSize: T.CreateChecked(learningRate / (1 - _beta1Power)),
            InverseRootCorrection2: T.CreateChecked(1 / Math.Sqrt(1 - _beta2Power)),
            Epsilon: T.CreateChecked(epsilon));
    }

    /// <summary>
    /// One step of <paramref name="length"/> consecutive elements, compiled optimized at once: left to tiering, the loop
    /// runs unoptimized code until the runtime recompiles it, which a short Fit may never wait for.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Update(ref T p, ref T g, ref T m, ref T v, nuint length, in Coefficients c)
    {
        nuint lanes = (nuint)Vector<T>.Count;
        if (!Vector.IsHardwareAccelerated || !Vector<T>.IsSupported || length < lanes)
        {
            for (nuint i = 0; i < length; i++)
            {
                UpdateOne(ref Unsafe.Add(ref p, i), Unsafe.Add(ref g, i), ref Unsafe.Add(ref m, i), ref Unsafe.Add(ref v, i), c);
            }

            return;
        }

        // A length that is not a multiple of the vector ends with a window that overlaps the one before. Its update
        // is computed from the values before this step and stored last: each element's update depends on that element
        // alone, so the overlap is written twice with identical values, and no element takes a scalar path.
        nuint last = length - lanes;
        var (lastP, lastM, lastV) = UpdateVector(ref p, ref g, ref m, ref v, last, c);
        for (nuint i = 0; i < last; i += lanes)
        {
            var (newP, newM, newV) = UpdateVector(ref p, ref g, ref m, ref v, i, c);
            Vector.StoreUnsafe(newP, ref p, i);
            Vector.StoreUnsafe(newM, ref m, i);
            Vector.StoreUnsafe(newV, ref v, i);
        }

        Vector.StoreUnsafe(lastP, ref p, last);
        Vector.StoreUnsafe(lastM, ref m, last);
        Vector.StoreUnsafe(lastV, ref v, last);
    }

    private static T[] Rent(int length)
    {
        T[] buffer = System.Buffers.ArrayPool<T>.Shared.Rent(length);
        Array.Clear(buffer);
        return buffer;
    }

    /// <summary>
    /// βᵗ⁺¹ from βᵗ. Below 10⁻³⁰, 1 − βᵗ is exactly 1 in double, so the product becomes zero there instead of going on
    /// into the subnormal range, where each multiplication is slow.
    /// </summary>
    private static double NextPower(double power, double beta) => power * beta < 1e-30 ? 0 : power * beta;

    private readonly record struct Coefficients(T L2, T Beta1, T Beta2, T OneMinusBeta1, T OneMinusBeta2, T StepSize, T InverseRootCorrection2, T Epsilon);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<T> P, Vector<T> M, Vector<T> V) UpdateVector(ref T p, ref T g, ref T m, ref T v, nuint i, in Coefficients c)
    {
        Vector<T> param = Vector.LoadUnsafe(ref p, i);
        Vector<T> d = Vector.LoadUnsafe(ref g, i) + (new Vector<T>(c.L2) * param);
        Vector<T> mean = (new Vector<T>(c.Beta1) * Vector.LoadUnsafe(ref m, i)) + (new Vector<T>(c.OneMinusBeta1) * d);
        Vector<T> variance = (new Vector<T>(c.Beta2) * Vector.LoadUnsafe(ref v, i)) + (new Vector<T>(c.OneMinusBeta2) * d * d);
        Vector<T> denominator = (Vector.SquareRoot(variance) * new Vector<T>(c.InverseRootCorrection2)) + new Vector<T>(c.Epsilon);
        return (param - (new Vector<T>(c.StepSize) * mean / denominator), mean, variance);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateOne(ref T p, T g, ref T m, ref T v, in Coefficients c)
    {
        T d = g + (c.L2 * p);
        m = (c.Beta1 * m) + (c.OneMinusBeta1 * d);
        v = (c.Beta2 * v) + (c.OneMinusBeta2 * d * d);
        T denominator = (T.Sqrt(v) * c.InverseRootCorrection2) + c.Epsilon;
        p -= c.StepSize * m / denominator;
    }
}
