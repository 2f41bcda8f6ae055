using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AeGen.Internals;

/// <summary>The logistic sigmoid σ(z) = 1 / (1 + e^(−z)), scalar and SIMD, called by generated models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Activation
{
    /// <summary>σ(z) in single precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    /// <summary>σ(z) in double precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double z) => 1d / (1d + Math.Exp(-z));

    /// <summary>σ of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> z) =>
        Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-z));

    /// <summary>σ of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> z) =>
        Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-z));
}
