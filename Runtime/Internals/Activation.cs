using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AeGen.Internals;

/// <summary>The logistic sigmoid σ(z) = 1 / (1 + e^(−z)), scalar and SIMD, called by generated models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Activation
{
    /// <summary>1.5·2²³: a float this large has no fraction bits, so adding it rounds to an integer.</summary>
    private const float RoundingShift = 12582912f;

    /// <summary>ln 2 rounded to float, 0.693147182464599609375.</summary>
    private const float Ln2Float = 0.693147182f;

    /// <summary><see cref="Ln2Float"/> − ln 2 = 1.904654212·10⁻⁹.</summary>
    private const float Ln2FloatExcess = 1.90465421e-9f;

    /// <summary><see cref="Ln2Float"/> in two parts, the first with 9 significant bits: 0.693359375 …</summary>
    private const float Ln2FloatHigh = 0.693359375f;

    /// <summary>… and −0.000212192535400390625, both exact.</summary>
    private const float Ln2FloatLow = -2.12192535e-4f;

    /// <summary>ln 2 / 16 rounded to float, 0.043321698904037476.</summary>
    private const float Ln2Over16Float = 0.0433216989f;

    /// <summary><see cref="Ln2Over16Float"/> − ln 2 / 16 = 1.190408883·10⁻¹⁰.</summary>
    private const float Ln2Over16FloatExcess = 1.19040888e-10f;

    /// <summary><see cref="Ln2Over16Float"/> in two parts, the first with 12 significant bits: 0.0433197021484375 …</summary>
    private const float Ln2Over16FloatHigh = 0.0433197021f;

    /// <summary>… and 0.0000019967555999755859375, both exact.</summary>
    private const float Ln2Over16FloatLow = 1.99675560e-6f;

    /// <summary>VRANGEPS control: bits 1:0 = 10 pick the operand of smaller magnitude, bits 3:2 = 00 give it the first operand's sign.</summary>
    private const byte SmallerMagnitudeWithFirstSign = 0b0010;

    /// <summary>2^(j/16) for j = 0…15, rounded to float.</summary>
    private static Vector512<float> SixteenthPowersOfTwo => Vector512.Create(
        1f, 1.04427373f, 1.09050775f, 1.13878858f, 1.18920708f, 1.24185777f, 1.29683959f, 1.35425556f,
        1.41421354f, 1.47682619f, 1.54221082f, 1.61049032f, 1.68179286f, 1.75625217f, 1.83400810f, 1.91520655f);

    /// <summary>σ(z) in single precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    /// <summary>σ(z) in double precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double z) => 1d / (1d + Math.Exp(-z));

    /// <summary>
    /// σ of each lane, with e^(−z) computed in single precision by this method rather than .NET's Vector256.Exp:
    /// replacing it took Forward at 64×16 from 29 to 49 GFLOP/s in a short benchmark run. −z = n·ln 2 + r with
    /// |r| ≤ ln 2 / 2 (r in one FMA, the rounding of ln 2 made good on 2^n), e^r by its Taylor polynomial of degree 7
    /// (truncation error below 6·10⁻⁹), and 2^n written straight into the exponent bits. Relative error about 2.3·10⁻⁷.
    /// .NET 10 has no public interface over Vector128/256/512, so the 128-bit overload spells the same steps out; the
    /// 512-bit one, where a 16-entry table fits in one register, reduces further (see there).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> z)
    {
        // Beyond ±87 e^(−z) leaves float's normal range; σ there is 0 or 1 to float precision anyway. (The 512-bit
        // overload clamps with one AVX-512 instruction and restores NaN lanes afterwards; a NaN in must come out NaN.)
        Vector256<float> c = Vector256.Clamp(z, Vector256.Create(-87f), Vector256.Create(87f));
        // n = round(−z / ln 2): adding 1.5·2²³ leaves n in the low mantissa bits of t (|n| ≤ 126), rounded to nearest,
        // so neither a rounding instruction nor a float-to-integer conversion is needed for n or for 2^n below.
        Vector256<float> t = Vector256.MultiplyAddEstimate(c, Vector256.Create(-1.44269504f), Vector256.Create(RoundingShift));
        Vector256<float> n = t - Vector256.Create(RoundingShift);
        // q = −r where −z = n·ln 2 + r: working with q spares negating z, and the odd coefficients change sign instead.
        // One FMA instruction with ln 2 rounded to float (L) forms c + n·L exactly and rounds once; without one (a
        // multiply and an add, which MultiplyAddEstimate may be), L is split so that n times its 9-bit first part is
        // exact. L is ln 2 + ε, so e^−q is off by the factor e^(nε) = 1 + nε (|nε| < 2.4·10⁻⁷, so to 3·10⁻¹⁴), which
        // is applied to 2^n below, off the chain of dependent instructions that a second step on q lengthened.
        Vector256<float> q = Fma.IsSupported
            ? Fma.MultiplyAdd(n, Vector256.Create(Ln2Float), c)
            : Vector256.MultiplyAddEstimate(n, Vector256.Create(Ln2FloatLow), Vector256.MultiplyAddEstimate(n, Vector256.Create(Ln2FloatHigh), c));
        // e^r ≈ Σ rⁱ/i! for i ≤ 7 by Estrin's scheme: three levels of FMAs instead of Horner's seven, which shortened a
        // 2×2 Backward, whose two sigmoids lie on one chain of dependent instructions, from 76 to 72 ns.
        Vector256<float> q2 = q * q;
        Vector256<float> p01 = Vector256<float>.One - q;
        Vector256<float> p23 = Vector256.MultiplyAddEstimate(q, Vector256.Create(-1f / 6), Vector256.Create(0.5f));
        Vector256<float> p45 = Vector256.MultiplyAddEstimate(q, Vector256.Create(-1f / 120), Vector256.Create(1f / 24));
        Vector256<float> p67 = Vector256.MultiplyAddEstimate(q, Vector256.Create(-1f / 5040), Vector256.Create(1f / 720));
        Vector256<float> p03 = Vector256.MultiplyAddEstimate(q2, p23, p01);
        Vector256<float> p47 = Vector256.MultiplyAddEstimate(q2, p67, p45);
        Vector256<float> p = Vector256.MultiplyAddEstimate(q2 * q2, p47, p03);
        // t's bits are those of 1.5·2²³ plus n; shifted left by 23 the constant part leaves the 32 bits, so this is 2^n.
        Vector256<float> scale = ((t.AsInt32() + Vector256.Create(127)) << 23).AsSingle();
        scale = Vector256.MultiplyAddEstimate(n * Vector256.Create(Ln2FloatExcess), scale, scale);
        return Vector256<float>.One / Vector256.MultiplyAddEstimate(p, scale, Vector256<float>.One);
    }

    /// <summary>
    /// σ of each lane, sixteen wide, with a shorter chain of dependent instructions than the narrower overloads: −z is
    /// split as (n/16)·ln 2 + r, so |r| ≤ ln 2 / 32; 2^(n mod 16 / 16) comes from a 16-entry table that fits in one
    /// register (one permute, beside the polynomial), and e^r needs only the Taylor polynomial of degree 3 (truncation
    /// error below 10⁻⁸) instead of 7. Relative error about 2.7·10⁻⁷; it took a 2×2 Forward from 11.7 to 9.8 ns in a
    /// benchmark of a hand-written copy of the packed-row kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> z)
    {
        // The clamp to ±87 of the narrower overloads in one instruction where AVX-512 has it (VRANGEPS: the operand of
        // smaller magnitude with z's sign), which turns NaN into −87; such lanes get z back at the end. 2×2 Forward of
        // 5 and 64 rows: 10.4 → 9.7 ns and 72.8 → 70.1 ns against the two-instruction clamp.
        Vector512<float> c = Avx512DQ.IsSupported
            ? Avx512DQ.Range(z, Vector512.Create(87f), SmallerMagnitudeWithFirstSign)
            : Vector512.Clamp(z, Vector512.Create(-87f), Vector512.Create(87f));
        // n = round(−16z / ln 2) in the low mantissa bits of t, as in the narrower overloads.
        Vector512<float> t = Vector512.MultiplyAddEstimate(c, Vector512.Create(-23.0831203f), Vector512.Create(RoundingShift));
        Vector512<float> n = t - Vector512.Create(RoundingShift);
        // q = −r by one FMA with ln 2 / 16 rounded to float; its rounding, times n (|nε| < 2.4·10⁻⁷ for |n| ≤ 2,008),
        // goes into the scale below as in the narrower overloads. 2×2 Forward 9.6 → 9.2 ns (hand-written copies).
        Vector512<float> q = Avx512F.IsSupported
            ? Avx512F.FusedMultiplyAdd(n, Vector512.Create(Ln2Over16Float), c)
            : Vector512.MultiplyAddEstimate(n, Vector512.Create(Ln2Over16FloatLow), Vector512.MultiplyAddEstimate(n, Vector512.Create(Ln2Over16FloatHigh), c));
        Vector512<float> p = Vector512.MultiplyAddEstimate(
            q * q, Vector512.MultiplyAddEstimate(q, Vector512.Create(-1f / 6), Vector512.Create(0.5f)), Vector512<float>.One - q);
        // 2^(n/16) = 2^(n mod 16 / 16) · 2^⌊n/16⌋: the low four bits of t pick the table entry (a permute reads only
        // those), and t shifted right by four holds ⌊n/16⌋ under a constant whose bits leave the word when shifted by 23.
        Vector512<int> bits = t.AsInt32();
        Vector512<float> fraction = Avx512F.IsSupported
            ? Avx512F.PermuteVar16x32(SixteenthPowersOfTwo, bits)
            : Vector512.Shuffle(SixteenthPowersOfTwo, bits & Vector512.Create(15));
        Vector512<float> scale = fraction * (((bits >> 4) + Vector512.Create(127)) << 23).AsSingle();
        scale = Vector512.MultiplyAddEstimate(n * Vector512.Create(Ln2Over16FloatExcess), scale, scale);
        Vector512<float> result = Vector512<float>.One / Vector512.MultiplyAddEstimate(p, scale, Vector512<float>.One);
        return Avx512DQ.IsSupported ? Vector512.ConditionalSelect(Vector512.Equals(z, z), result, z) : result;
    }

    /// <summary>σ of each lane; the same computation as the <see cref="Vector256{T}"/> overload, four lanes wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> z)
    {
        Vector128<float> c = Vector128.Clamp(z, Vector128.Create(-87f), Vector128.Create(87f));
        Vector128<float> t = Vector128.MultiplyAddEstimate(c, Vector128.Create(-1.44269504f), Vector128.Create(RoundingShift));
        Vector128<float> n = t - Vector128.Create(RoundingShift);
        Vector128<float> q = Fma.IsSupported
            ? Fma.MultiplyAdd(n, Vector128.Create(Ln2Float), c)
            : Vector128.MultiplyAddEstimate(n, Vector128.Create(Ln2FloatLow), Vector128.MultiplyAddEstimate(n, Vector128.Create(Ln2FloatHigh), c));
        Vector128<float> q2 = q * q;
        Vector128<float> p01 = Vector128<float>.One - q;
        Vector128<float> p23 = Vector128.MultiplyAddEstimate(q, Vector128.Create(-1f / 6), Vector128.Create(0.5f));
        Vector128<float> p45 = Vector128.MultiplyAddEstimate(q, Vector128.Create(-1f / 120), Vector128.Create(1f / 24));
        Vector128<float> p67 = Vector128.MultiplyAddEstimate(q, Vector128.Create(-1f / 5040), Vector128.Create(1f / 720));
        Vector128<float> p03 = Vector128.MultiplyAddEstimate(q2, p23, p01);
        Vector128<float> p47 = Vector128.MultiplyAddEstimate(q2, p67, p45);
        Vector128<float> p = Vector128.MultiplyAddEstimate(q2 * q2, p47, p03);
        Vector128<float> scale = ((t.AsInt32() + Vector128.Create(127)) << 23).AsSingle();
        scale = Vector128.MultiplyAddEstimate(n * Vector128.Create(Ln2FloatExcess), scale, scale);
        return Vector128<float>.One / Vector128.MultiplyAddEstimate(p, scale, Vector128<float>.One);
    }

    /// <summary>σ of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> z) =>
        Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-z));

    /// <summary>σ of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> z) =>
        Vector512<double>.One / (Vector512<double>.One + Vector512.Exp(-z));

    /// <summary>σ of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sigmoid(Vector128<double> z) =>
        Vector128<double>.One / (Vector128<double>.One + Vector128.Exp(-z));
}
