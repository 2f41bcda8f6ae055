using System;
using System.Numerics;
using AeGen.Internals;

namespace AeGen;

/// <summary>
/// A model whose shape is chosen while the program runs, on the dense kernels that compiled models of more than 200
/// parameters use: slower for small shapes than a compiled model, and there to compare hidden sizes before one is
/// declared. Arguments are checked as a compiled model checks them.
/// </summary>
internal sealed class RuntimeShapedAutoencoder<T> : IAutoencoder<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _parameters;
    private readonly DenseKernels<T> _kernels;
    private FeatureScaler? _scaler;

    public RuntimeShapedAutoencoder(int inputs, int hidden, int seed)
    {
        Inputs = inputs;
        Hidden = hidden;
        _parameters = new T[new ParameterLayout(inputs, hidden).Count];
        _kernels = new DenseKernels<T>(inputs, hidden);
        Initialize(seed);
    }

    public int Inputs { get; }

    public int Hidden { get; }

    public int ParameterCount => _parameters.Length;

    public Span<T> Parameters => _parameters;

    public FeatureScaler? Scaler
    {
        get => _scaler;
        set => _scaler = ShapeGuard.Scaler(value, Inputs);
    }

    public void Initialize(int seed) => ParameterInitializer.Initialize<T>(_parameters, Inputs, Hidden, seed);

    public void Forward(ReadOnlySpan<T> x, Span<T> xhat)
    {
        int m = ShapeGuard.Rows(x.Length, Inputs, nameof(x));
        ShapeGuard.RowsMatch(xhat.Length, m, Inputs, nameof(xhat), nameof(x));
        _kernels.Forward(ref _parameters[0], ref Ref(x), ref Ref(xhat), m);
    }

    public void Encode(ReadOnlySpan<T> x, Span<T> code)
    {
        int m = ShapeGuard.Rows(x.Length, Inputs, nameof(x));
        ShapeGuard.RowsMatch(code.Length, m, Hidden, nameof(code), nameof(x));
        _kernels.Encode(ref _parameters[0], ref Ref(x), ref Ref(code), m);
    }

    public void Decode(ReadOnlySpan<T> code, Span<T> xhat)
    {
        int m = ShapeGuard.Rows(code.Length, Hidden, nameof(code));
        ShapeGuard.RowsMatch(xhat.Length, m, Inputs, nameof(xhat), nameof(code));
        _kernels.Decode(ref _parameters[0], ref Ref(code), ref Ref(xhat), m);
    }

    public T Cost(ReadOnlySpan<T> x)
    {
        int m = ShapeGuard.Rows(x.Length, Inputs, nameof(x));
        return _kernels.Cost(ref _parameters[0], ref Ref(x), m);
    }

    public T Backward(ReadOnlySpan<T> x, Span<T> gradient) => Backward(x, x, gradient, 1);

    public T Backward(ReadOnlySpan<T> x, Span<T> gradient, int maxDegreeOfParallelism) => Backward(x, x, gradient, maxDegreeOfParallelism);

    public T Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> target, Span<T> gradient) => Backward(x, target, gradient, 1);

    public T Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> target, Span<T> gradient, int maxDegreeOfParallelism)
    {
        int m = ShapeGuard.Rows(x.Length, Inputs, nameof(x));
        ShapeGuard.RowsMatch(target.Length, m, Inputs, nameof(target), nameof(x));
        ShapeGuard.ParameterLength(gradient.Length, ParameterCount, nameof(gradient));
        ShapeGuard.DegreeOfParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        return _kernels.Backward(ref _parameters[0], ref Ref(x), ref Ref(target), ref Ref(gradient), m, maxDegreeOfParallelism);
    }

    private static ref T Ref(ReadOnlySpan<T> span) => ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span);
}
