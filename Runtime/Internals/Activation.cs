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

    /// <summary>ln 2 / 8 rounded to float (exactly <see cref="Ln2Float"/> / 8), 0.086643397808074951171875.</summary>
    private const float Ln2Over8Float = 0.0866433978f;

    /// <summary><see cref="Ln2Over8Float"/> − ln 2 / 8 = 2.380817904·10⁻¹⁰.</summary>
    private const float Ln2Over8FloatExcess = 2.38081790e-10f;

    /// <summary><see cref="Ln2Over8Float"/> in two parts, <see cref="Ln2FloatHigh"/> / 8 = 0.086669921875 …</summary>
    private const float Ln2Over8FloatHigh = 0.086669921875f;

    /// <summary>… and <see cref="Ln2FloatLow"/> / 8 = −0.000026524066925048828125, both exact.</summary>
    private const float Ln2Over8FloatLow = -2.65240669e-5f;

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
    /// σ of each lane, eight wide, with e^(−z) computed here rather than by .NET's Vector256.Exp, which is slower: −z is
    /// split as (n/8)·ln 2 + r with |r| ≤ ln 2 / 16; 2^(n mod 8 / 8) comes from an 8-entry table that fits in one
    /// register (one permute, beside the polynomial), so e^r needs the Taylor polynomial of degree 4 only (truncation
    /// error below 1.3·10⁻⁹) where a reduction to |r| ≤ ln 2 / 2 needs degree 7; 2^⌊n/8⌋ is written straight into the
    /// exponent bits. The polynomial and the table take fewer instructions than the degree-7 polynomial they replaced,
    /// and the sigmoids are much of the work of a layer that is not wide (see BENCHMARKS.md). Relative error about
    /// 2.6·10⁻⁷.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> z)
    {
        // Beyond ±87 e^(−z) leaves float's normal range; σ there is 0 or 1 to float precision anyway. (The 512-bit
        // overload clamps with one AVX-512 instruction and restores NaN lanes afterwards; a NaN in must come out NaN.)
        Vector256<float> c = Vector256.Clamp(z, Vector256.Create(-87f), Vector256.Create(87f));
        // n = round(−8z / ln 2): adding 1.5·2²³ leaves n in the low mantissa bits of t (|n| ≤ 1,004), rounded to
        // nearest, so neither a rounding instruction nor a float-to-integer conversion is needed for n or for 2^n below.
        Vector256<float> t = Vector256.MultiplyAddEstimate(c, Vector256.Create(-11.5415602f), Vector256.Create(RoundingShift));
        Vector256<float> n = t - Vector256.Create(RoundingShift);
        // q = −r where −z = (n/8)·ln 2 + r: working with q spares negating z, and the odd coefficients change sign
        // instead. One FMA instruction with ln 2 / 8 rounded to float (L) forms c + n·L exactly and rounds once; without
        // one, L is split so that n times its first part is exact. L is ln 2 / 8 + ε, so e^−q is off by the factor
        // e^(nε) = 1 + nε (|nε| < 2.4·10⁻⁷), which is applied to the scale below, off the chain of dependent
        // instructions.
        Vector256<float> q = Fma.IsSupported
            ? Fma.MultiplyAdd(n, Vector256.Create(Ln2Over8Float), c)
            : Vector256.MultiplyAddEstimate(n, Vector256.Create(Ln2Over8FloatLow), Vector256.MultiplyAddEstimate(n, Vector256.Create(Ln2Over8FloatHigh), c));
        // e^r = 1 − q + q²·(1/2 − q/6 + q²/24): two levels of FMAs after q².
        Vector256<float> q2 = q * q;
        Vector256<float> p24 = Vector256.MultiplyAddEstimate(q2, Vector256.Create(1f / 24), Vector256.MultiplyAddEstimate(q, Vector256.Create(-1f / 6), Vector256.Create(0.5f)));
        Vector256<float> p = Vector256.MultiplyAddEstimate(q2, p24, Vector256<float>.One - q);
        // 2^(n/8) = 2^(n mod 8 / 8) · 2^⌊n/8⌋: the low three bits of t pick the table entry (the permute reads only
        // those), and t shifted right by three holds ⌊n/8⌋ under a constant whose bits leave the word when shifted by 23.
        // The table, 2^(j/8) for j = 0…7 rounded to float (the even entries of SixteenthPowersOfTwo), is spelled where it
        // is used rather than as a property: inlined into an unrolled kernel of many sigmoids, where the JIT stops
        // inlining after a few hundred locals, such a property became a call in every sigmoid past that point.
        Vector256<int> bits = t.AsInt32();
        Vector256<float> fraction = Avx2.IsSupported
            ? Avx2.PermuteVar8x32(Vector256.Create(1f, 1.09050775f, 1.18920708f, 1.29683959f, 1.41421354f, 1.54221082f, 1.68179286f, 1.83400810f), bits)
            : Vector256.Shuffle(Vector256.Create(1f, 1.09050775f, 1.18920708f, 1.29683959f, 1.41421354f, 1.54221082f, 1.68179286f, 1.83400810f), bits & Vector256.Create(7));
        Vector256<float> scale = fraction * (((bits >> 3) + Vector256.Create(127)) << 23).AsSingle();
        scale = Vector256.MultiplyAddEstimate(n * Vector256.Create(Ln2Over8FloatExcess), scale, scale);
        return Vector256<float>.One / Vector256.MultiplyAddEstimate(p, scale, Vector256<float>.One);
    }

    /// <summary>
    /// σ of each lane, sixteen wide, with a shorter chain of dependent instructions than the narrower overloads: −z is
    /// split as (n/16)·ln 2 + r, so |r| ≤ ln 2 / 32; 2^(n mod 16 / 16) comes from a 16-entry table that fits in one
    /// register (one permute, beside the polynomial), and e^r needs only the Taylor polynomial of degree 3 (truncation
    /// error below 10⁻⁸) instead of 7, which shortens the chain a small model's kernel waits on. Relative error about
    /// 2.7·10⁻⁷.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> z)
    {
        // The clamp to ±87 of the narrower overloads in one instruction where AVX-512 has it (VRANGEPS: the operand of
        // smaller magnitude with z's sign), which turns NaN into −87; such lanes get z back at the end. One instruction
        // less on the chain than a clamp by a maximum and a minimum.
        Vector512<float> c = Avx512DQ.IsSupported
            ? Avx512DQ.Range(z, Vector512.Create(87f), SmallerMagnitudeWithFirstSign)
            : Vector512.Clamp(z, Vector512.Create(-87f), Vector512.Create(87f));
        // n = round(−16z / ln 2) in the low mantissa bits of t, as in the narrower overloads.
        Vector512<float> t = Vector512.MultiplyAddEstimate(c, Vector512.Create(-23.0831203f), Vector512.Create(RoundingShift));
        Vector512<float> n = t - Vector512.Create(RoundingShift);
        // q = −r by one FMA with ln 2 / 16 rounded to float; its rounding, times n (|nε| < 2.4·10⁻⁷ for |n| ≤ 2,008),
        // goes into the scale below as in the narrower overloads, off the chain that a second reduction step lengthened.
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

    /// <summary>
    /// σ of each lane, four wide: −z = n·ln 2 + r with |r| ≤ ln 2 / 2 (r in one FMA, the rounding of ln 2 made good on
    /// 2^n as in the wider overloads), e^r by its Taylor polynomial of degree 7 by Estrin's scheme (truncation error below
    /// 6·10⁻⁹; a table of 2^(j/4) would still leave degree 5), and 2^n written straight into the exponent bits.
    /// Relative error about 2.3·10⁻⁷.
    /// </summary>
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
