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
    /// <summary>
    /// 1.5·2²³ + 127: a float this large has no fraction bits, so adding it rounds to an integer, and the 127 is the
    /// exponent bias that makes the low bits of the sum, shifted left by 23, the float 2^n.
    /// </summary>
    private const float RoundingShiftWholes = 12583039f;

    /// <summary>1.5·2²³ + 127·8, for n in eighths of ln 2: the low bits, shifted left by 20, are 2^⌊n/8⌋·(1 + (n mod 8)/8).</summary>
    private const float RoundingShiftEighths = 12583928f;

    /// <summary>1.5·2²³ + 127·16, for n in sixteenths of ln 2: the low bits, shifted left by 19, are 2^⌊n/16⌋·(1 + (n mod 16)/16).</summary>
    private const float RoundingShiftSixteenths = 12584944f;

    /// <summary>
    /// e^(−q) ≈ 1 − q + C2·q² + C3·q³ for |q| ≤ ln 2 / 16: C2 and C3 minimize the largest relative error on that
    /// interval with the first two terms kept exact (2.6·10⁻⁸, against 1.5·10⁻⁷ for the Taylor coefficients 1/2 and −1/6).
    /// </summary>
    private const float Cubic8C2 = 0.500065684f;

    /// <summary>See <see cref="Cubic8C2"/>.</summary>
    private const float Cubic8C3 = -0.166700184f;

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


    /// <summary>
    /// log₂ of the smallest activation: every sigmoid computes σ(z) at z clamped to ±<see cref="FloatSaturation"/>, so
    /// that no activation is below σ(−64·ln 2) ≈ 2⁻⁶⁴ (5.4·10⁻²⁰; the upper bound gives 1 to float precision), and
    /// <see cref="SigmoidGradient{T}(Vector512{T}, Vector512{T})"/> gives zero below the same 2⁻⁶⁴. A saturated unit then
    /// never gives an activation or an error whose products with ordinary values leave float's normal range.
    /// </summary>
    private const int FloatFloorExponent = 64;

    /// <summary><see cref="FloatFloorExponent"/> for double: activations of at least 2⁻⁵¹² (7.5·10⁻¹⁵⁵).</summary>
    private const int DoubleFloorExponent = 512;

    /// <summary>64·ln 2 (exact in float, a power of two times <see cref="Ln2Float"/>): σ's input is clamped to ±this.</summary>
    public const float FloatSaturation = FloatFloorExponent * Ln2Float;

    /// <summary>512·ln 2: <see cref="FloatSaturation"/> for double.</summary>
    public const double DoubleSaturation = DoubleFloorExponent * 0.69314718055994531;

    /// <summary>σ(z) in single precision, z clamped to ±<see cref="FloatSaturation"/> as in the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-Math.Clamp(z, -FloatSaturation, FloatSaturation)));

    /// <summary>σ(z) in double precision, z clamped to ±<see cref="DoubleSaturation"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double z) => 1d / (1d + Math.Exp(-Math.Clamp(z, -DoubleSaturation, DoubleSaturation)));

    /// <summary>
    /// σ of each lane, eight wide, with e^(−z) computed here rather than by .NET's Vector256.Exp, which is slower: −z is
    /// split as (n/8)·ln 2 + r with |r| ≤ ln 2 / 16; 2^(n mod 8 / 8) comes from an 8-entry table that fits in one
    /// register (one permute, beside the polynomial), so e^r needs a polynomial of degree 3 only (coefficients fitted
    /// for the least largest relative error on that interval, 2.6·10⁻⁸) where a reduction to |r| ≤ ln 2 / 2 needs
    /// degree 7; 2^⌊n/8⌋ is written straight into the exponent bits. A layer that is not wide spends much of its time
    /// here, and the out-of-order core overlaps consecutive sigmoids only as far as their instructions fit in its
    /// window, so every instruction saved counts (see BENCHMARKS.md). Relative error about 2.9·10⁻⁷.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> z)
    {
        // z clamped to ±64·ln 2 (FloatSaturation): σ is then never below 2⁻⁶⁴, and the polynomial's 2^n stays in float's
        // normal range. (The 512-bit overload clamps with one AVX-512 instruction and restores NaN lanes afterwards; a
        // NaN in must come out NaN.)
        Vector256<float> c = Vector256.Clamp(z, Vector256.Create(-FloatSaturation), Vector256.Create(FloatSaturation));
        // n = round(−8z / ln 2): adding 1.5·2²³ leaves n in the low mantissa bits of t (|n| ≤ 1,004), rounded to
        // nearest, so neither a rounding instruction nor a float-to-integer conversion is needed for n or for 2^n below.
        // The shift also carries 127·8, so that those bits, moved up by 20, are already the exponent of 2^⌊n/8⌋.
        Vector256<float> t = Vector256.MultiplyAddEstimate(c, Vector256.Create(-11.5415602f), Vector256.Create(RoundingShiftEighths));
        Vector256<float> n = t - Vector256.Create(RoundingShiftEighths);
        // q = −r where −z = (n/8)·ln 2 + r: working with q spares negating z. One FMA instruction with ln 2 / 8 rounded
        // to float (L) forms c + n·L exactly and rounds once; without one, L is split so that n times its first part is
        // exact. L is ln 2 / 8 + ε, so e^−q is off by the factor e^(nε) = 1 + nε (|nε| < 2.4·10⁻⁷), which the
        // polynomial's first two terms take on below, off the chain of dependent instructions.
        Vector256<float> q = Fma.IsSupported
            ? Fma.MultiplyAdd(n, Vector256.Create(Ln2Over8Float), c)
            : Vector256.MultiplyAddEstimate(n, Vector256.Create(Ln2Over8FloatLow), Vector256.MultiplyAddEstimate(n, Vector256.Create(Ln2Over8FloatHigh), c));
        // e^r ≈ (1 + nε)(1 − q) + q²·(C2 + C3·q): the corrected first terms and the rest side by side, then one FMA.
        Vector256<float> corrected = Vector256.MultiplyAddEstimate(n, Vector256.Create(Ln2Over8FloatExcess), Vector256<float>.One);
        Vector256<float> p01 = Fma.IsSupported ? Fma.MultiplyAddNegated(q, corrected, corrected) : corrected - (q * corrected);
        Vector256<float> p23 = Vector256.MultiplyAddEstimate(q, Vector256.Create(Cubic8C3), Vector256.Create(Cubic8C2));
        Vector256<float> p = Vector256.MultiplyAddEstimate(q * q, p23, p01);
        // 2^(n/8) = 2^(n mod 8 / 8) · 2^⌊n/8⌋. t's bits shifted left by 20 are the float 2^⌊n/8⌋·(1 + (n mod 8)/8): the
        // exponent from the shift's 127·8 plus n, and n's low three bits left as the mantissa's first three, which the
        // table entries 2^(j/8) / (1 + j/8) divide out again (the permute reads only those three bits to pick one). The
        // table is spelled where it is used rather than as a property: inlined into an unrolled kernel of many sigmoids,
        // where the JIT stops inlining after a few hundred locals, such a property became a call in every sigmoid past
        // that point.
        Vector256<int> bits = t.AsInt32();
        Vector256<float> table = Vector256.Create(1f, 0.969340205f, 0.951365709f, 0.943156064f, 0.942809045f, 0.949052811f, 0.961024463f, 0.978137672f);
        Vector256<float> fraction = Avx2.IsSupported ? Avx2.PermuteVar8x32(table, bits) : Vector256.Shuffle(table, bits & Vector256.Create(7));
        Vector256<float> scale = fraction * (bits << 20).AsSingle();
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
        // The clamp to ±FloatSaturation of the narrower overloads in one instruction where AVX-512 has it (VRANGEPS: the
        // operand of smaller magnitude with z's sign), which turns NaN into −FloatSaturation; such lanes get z back at
        // the end. One instruction less on the chain than a clamp by a maximum and a minimum.
        Vector512<float> c = Avx512DQ.IsSupported
            ? Avx512DQ.Range(z, Vector512.Create(FloatSaturation), SmallerMagnitudeWithFirstSign)
            : Vector512.Clamp(z, Vector512.Create(-FloatSaturation), Vector512.Create(FloatSaturation));
        // n = round(−16z / ln 2) in the low mantissa bits of t, under a shift that also carries 127·16, as in the
        // 256-bit overload.
        Vector512<float> t = Vector512.MultiplyAddEstimate(c, Vector512.Create(-23.0831203f), Vector512.Create(RoundingShiftSixteenths));
        Vector512<float> n = t - Vector512.Create(RoundingShiftSixteenths);
        // q = −r by one FMA with ln 2 / 16 rounded to float; its rounding, times n (|nε| < 2.4·10⁻⁷ for |n| ≤ 2,008),
        // goes into the polynomial's first terms as in the 256-bit overload, off the chain a second reduction step
        // would lengthen.
        Vector512<float> q = Avx512F.IsSupported
            ? Avx512F.FusedMultiplyAdd(n, Vector512.Create(Ln2Over16Float), c)
            : Vector512.MultiplyAddEstimate(n, Vector512.Create(Ln2Over16FloatLow), Vector512.MultiplyAddEstimate(n, Vector512.Create(Ln2Over16FloatHigh), c));
        Vector512<float> corrected = Vector512.MultiplyAddEstimate(n, Vector512.Create(Ln2Over16FloatExcess), Vector512<float>.One);
        Vector512<float> p01 = Avx512F.IsSupported ? Avx512F.FusedMultiplyAddNegated(q, corrected, corrected) : corrected - (q * corrected);
        Vector512<float> p = Vector512.MultiplyAddEstimate(
            q * q, Vector512.MultiplyAddEstimate(q, Vector512.Create(-1f / 6), Vector512.Create(0.5f)), p01);
        // 2^(n/16) = 2^(n mod 16 / 16) · 2^⌊n/16⌋: t's bits shifted left by 19 are 2^⌊n/16⌋·(1 + (n mod 16)/16), and the
        // table entries 2^(j/16) / (1 + j/16), picked by the low four bits, divide the second factor out.
        // The table is written here, not in a member of its own: a kernel whose inlining budget had run out called
        // such a member for every sigmoid.
        Vector512<float> sixteenthPowersOverSteps = Vector512.Create(
            1f, 0.982845902f, 0.969340205f, 0.958979905f, 0.951365709f, 0.946177363f, 0.943156064f, 0.942090809f,
            0.942809045f, 0.945168734f, 0.949052811f, 0.954364657f, 0.961024463f, 0.968966722f, 0.978137672f, 0.988493681f);
        Vector512<int> bits = t.AsInt32();
        Vector512<float> fraction = Avx512F.IsSupported
            ? Avx512F.PermuteVar16x32(sixteenthPowersOverSteps, bits)
            : Vector512.Shuffle(sixteenthPowersOverSteps, bits & Vector512.Create(15));
        Vector512<float> scale = fraction * (bits << 19).AsSingle();
        Vector512<float> result = Vector512<float>.One / Vector512.MultiplyAddEstimate(p, scale, Vector512<float>.One);
        return Avx512DQ.IsSupported ? Vector512.ConditionalSelect(Vector512.Equals(z, z), result, z) : result;
    }

    /// <summary>
    /// σ of each lane, four wide: −z = n·ln 2 + r with |r| ≤ ln 2 / 2 (r in one FMA, the rounding of ln 2 made good on
    /// the polynomial's first terms as in the wider overloads), e^r by its Taylor polynomial of degree 7 by Estrin's
    /// scheme (truncation error below 6·10⁻⁹; a table of 2^(j/4) would still leave degree 5), and 2^n written straight
    /// into the exponent bits. Relative error about 2.3·10⁻⁷.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> z)
    {
        Vector128<float> c = Vector128.Clamp(z, Vector128.Create(-FloatSaturation), Vector128.Create(FloatSaturation));
        // The shift carries 127 as well, so t's bits shifted left by 23 are 2^n.
        Vector128<float> t = Vector128.MultiplyAddEstimate(c, Vector128.Create(-1.44269504f), Vector128.Create(RoundingShiftWholes));
        Vector128<float> n = t - Vector128.Create(RoundingShiftWholes);
        Vector128<float> q = Fma.IsSupported
            ? Fma.MultiplyAdd(n, Vector128.Create(Ln2Float), c)
            : Vector128.MultiplyAddEstimate(n, Vector128.Create(Ln2FloatLow), Vector128.MultiplyAddEstimate(n, Vector128.Create(Ln2FloatHigh), c));
        Vector128<float> q2 = q * q;
        Vector128<float> corrected = Vector128.MultiplyAddEstimate(n, Vector128.Create(Ln2FloatExcess), Vector128<float>.One);
        Vector128<float> p01 = Fma.IsSupported ? Fma.MultiplyAddNegated(q, corrected, corrected) : corrected - (q * corrected);
        Vector128<float> p23 = Vector128.MultiplyAddEstimate(q, Vector128.Create(-1f / 6), Vector128.Create(0.5f));
        Vector128<float> p45 = Vector128.MultiplyAddEstimate(q, Vector128.Create(-1f / 120), Vector128.Create(1f / 24));
        Vector128<float> p67 = Vector128.MultiplyAddEstimate(q, Vector128.Create(-1f / 5040), Vector128.Create(1f / 720));
        Vector128<float> p03 = Vector128.MultiplyAddEstimate(q2, p23, p01);
        Vector128<float> p47 = Vector128.MultiplyAddEstimate(q2, p67, p45);
        Vector128<float> p = Vector128.MultiplyAddEstimate(q2 * q2, p47, p03);
        Vector128<float> scale = (t.AsInt32() << 23).AsSingle();
        return Vector128<float>.One / Vector128.MultiplyAddEstimate(p, scale, Vector128<float>.One);
    }

    /// <summary>σ of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Sigmoid(Vector256<double> z) =>
        Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-Vector256.Clamp(z, Vector256.Create(-DoubleSaturation), Vector256.Create(DoubleSaturation))));

    /// <summary>σ of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> z) =>
        Vector512<double>.One / (Vector512<double>.One + Vector512.Exp(-Vector512.Clamp(z, Vector512.Create(-DoubleSaturation), Vector512.Create(DoubleSaturation))));

    /// <summary>σ of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Sigmoid(Vector128<double> z) =>
        Vector128<double>.One / (Vector128<double>.One + Vector128.Exp(-Vector128.Clamp(z, Vector128.Create(-DoubleSaturation), Vector128.Create(DoubleSaturation))));

    /// <summary>
    /// h(1 − h)·e: an error e sent back through a sigmoid whose output is h, with results smaller in magnitude than
    /// <see cref="FlushBelow{T}()"/> set to zero (NaN is kept).
    /// </summary>
    /// <remarks>
    /// A saturated sigmoid gives h near 2⁻⁶⁴ (<see cref="FloatSaturation"/>), and h(1 − h)·e falls below float's normal
    /// range for errors below about 2⁻⁶². Intel cores take a microcode assist for each operation that reads or makes
    /// such a subnormal value, and .NET cannot switch on flush-to-zero; a trained 8×3 model with a saturated layer ran its
    /// Backward 2.4 times slower there (BENCHMARKS.md). A term below 2⁻⁶⁴ changes no sum that also holds a term of 2⁻⁴⁰ or
    /// more.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SigmoidGradient<T>(Vector512<T> h, Vector512<T> e)
    {
        Vector512<T> g = h * (Vector512<T>.One - h) * e;
        return Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(g), Vector512.Create(FlushBelow<T>())), Vector512<T>.Zero, g);
    }

    /// <inheritdoc cref="SigmoidGradient{T}(Vector512{T}, Vector512{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SigmoidGradient<T>(Vector256<T> h, Vector256<T> e)
    {
        Vector256<T> g = h * (Vector256<T>.One - h) * e;
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(g), Vector256.Create(FlushBelow<T>())), Vector256<T>.Zero, g);
    }

    /// <inheritdoc cref="SigmoidGradient{T}(Vector512{T}, Vector512{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SigmoidGradient<T>(Vector128<T> h, Vector128<T> e)
    {
        Vector128<T> g = h * (Vector128<T>.One - h) * e;
        return Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(g), Vector128.Create(FlushBelow<T>())), Vector128<T>.Zero, g);
    }

    /// <inheritdoc cref="SigmoidGradient{T}(Vector512{T}, Vector512{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SigmoidGradient<T>(T h, T e)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        T g = h * (T.One - h) * e;
        return T.Abs(g) < FlushBelow<T>() ? T.Zero : g;
    }

    /// <summary>
    /// The magnitude below which <c>SigmoidGradient</c> gives zero: the smallest activation, 2^−<see cref="FloatFloorExponent"/>
    /// in float, 2^−<see cref="DoubleFloorExponent"/> in double. A constant the JIT folds in every kernel: a static
    /// field in a generic class was not one in a kernel compiled before that class's initialization (as a kernel with
    /// <c>stackalloc</c> is, optimized at once), and its check in a loop made the JIT reload every vector the loop
    /// held in registers after each pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FlushBelow<T>() =>
        typeof(T) == typeof(float) ? (T)(object)FloatFlushBelow
        : typeof(T) == typeof(double) ? (T)(object)DoubleFlushBelow
        : throw new NotSupportedException($"Sigmoid gradients are computed in float or double, not {typeof(T).Name}.");

    /// <summary>2⁻⁶⁴, exactly.</summary>
    private const double TwoToMinus64 = 1d / 18446744073709551616d;

    /// <summary>2^−<see cref="FloatFloorExponent"/>.</summary>
    private const float FloatFlushBelow = (float)TwoToMinus64;

    /// <summary>2^−<see cref="DoubleFloorExponent"/>: (2⁻⁶⁴)⁸.</summary>
    private const double DoubleFlushBelow = TwoToMinus64 * TwoToMinus64 * TwoToMinus64 * TwoToMinus64 * TwoToMinus64 * TwoToMinus64 * TwoToMinus64 * TwoToMinus64;
}
