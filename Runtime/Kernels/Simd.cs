using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AeGen.Internals;

namespace AeGen.Kernels;

/// <summary>
/// The handful of vector operations the dense kernels are written with, as static members of a struct, so that one
/// generic kernel serves every width and precision: the JIT compiles it once per struct and inlines these calls,
/// as System.Numerics.Tensors does with its operator structs. <typeparamref name="TVector"/> is the vector type itself.
/// </summary>
internal interface ISimd<T, TVector>
    where T : unmanaged
    where TVector : struct
{
    /// <summary>Elements per vector.</summary>
    static abstract int Lanes { get; }

    /// <summary>Whether the JIT turns this width into SIMD instructions on this machine.</summary>
    static abstract bool IsAccelerated { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(ref T source, nuint offset);

    static abstract void Store(TVector value, ref T destination, nuint offset);

    static abstract TVector Broadcast(T value);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>a·b + c, fused wherever the machine has a fused multiply-add.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>σ(z) of each lane (<see cref="Activation"/>).</summary>
    static abstract TVector Sigmoid(TVector z);

    /// <summary>h(1 − h)·e of each lane: an error e sent back through the sigmoid whose output was h.</summary>
    static abstract TVector SigmoidGradient(TVector h, TVector e);

    /// <summary>The sum of the lanes.</summary>
    static abstract T Sum(TVector value);
}

/// <summary>512-bit vectors.</summary>
internal readonly struct Simd512<T> : ISimd<T, Vector512<T>>
    where T : unmanaged
{
    public static int Lanes => Vector512<T>.Count;

    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => typeof(T) == typeof(float)
        ? Vector512.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : Vector512.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sigmoid(Vector512<T> z) => typeof(T) == typeof(float)
        ? Activation.Sigmoid(z.AsSingle()).As<float, T>()
        : Activation.Sigmoid(z.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SigmoidGradient(Vector512<T> h, Vector512<T> e) => Activation.SigmoidGradient(h, e);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector512.Sum(value);
}

/// <summary>256-bit vectors.</summary>
internal readonly struct Simd256<T> : ISimd<T, Vector256<T>>
    where T : unmanaged
{
    public static int Lanes => Vector256<T>.Count;

    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => typeof(T) == typeof(float)
        ? Vector256.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : Vector256.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid(Vector256<T> z) => typeof(T) == typeof(float)
        ? Activation.Sigmoid(z.AsSingle()).As<float, T>()
        : Activation.Sigmoid(z.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SigmoidGradient(Vector256<T> h, Vector256<T> e) => Activation.SigmoidGradient(h, e);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);
}

/// <summary>128-bit vectors: SSE, or AdvSimd on ARM64; also what runs where nothing wider is accelerated.</summary>
internal readonly struct Simd128<T> : ISimd<T, Vector128<T>>
    where T : unmanaged
{
    public static int Lanes => Vector128<T>.Count;

    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) => typeof(T) == typeof(float)
        ? Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sigmoid(Vector128<T> z) => typeof(T) == typeof(float)
        ? Activation.Sigmoid(z.AsSingle()).As<float, T>()
        : Activation.Sigmoid(z.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SigmoidGradient(Vector128<T> h, Vector128<T> e) => Activation.SigmoidGradient(h, e);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);
}
