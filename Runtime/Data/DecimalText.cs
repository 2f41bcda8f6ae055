using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// The common case of a number in a data file, an optional sign, digits and an optional fraction ("-12.345"), read
/// exactly without a general parser: its digits make an integer m and its fraction d decimal places, and when m and
/// 10^d are both exact in the type read (m below 2^53 and d ≤ 22 for double, 2^24 and 10 for float) the one
/// correctly rounded division m / 10^d is the correctly rounded value of the text (Clinger's fast path), the same bits
/// any correct parser gives. Everything else (exponents, long mantissas, spaces, thousands separators, words) is left to
/// the general parser.
/// </summary>
internal static class DecimalText
{
    private static readonly double[] DoublePowers =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    private static readonly float[] SinglePowers = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    /// <summary>Reads <paramref name="text"/> if it is a plain decimal within the fast path; false leaves it to a general parser.</summary>
    public static bool TryParse<T>(ReadOnlySpan<char> text, out T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        Scan(text, ref i, out ulong mantissa, out int digits, out int places, out bool negative);
        value = default;
        return i == text.Length && Exact(mantissa, digits, places, negative, out value);
    }

    /// <summary>
    /// From <paramref name="i"/>, an optional sign, digits and an optional point and digits, leaving <paramref name="i"/>
    /// at the first character after them; more than nineteen digits may overflow the mantissa, and are refused by
    /// <see cref="Exact"/>.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Scan(ReadOnlySpan<char> text, ref int i, out ulong mantissa, out int digits, out int places, out bool negative)
    {
        negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            negative = text[i] == '-';
            i++;
        }

        mantissa = 0;
        int first = i;
        for (uint digit; i < text.Length && (digit = (uint)(text[i] - '0')) <= 9; i++)
        {
            mantissa = (mantissa * 10) + digit;
        }

        digits = i - first;
        places = 0;
        if (i < text.Length && text[i] == '.')
        {
            int point = ++i;
            for (uint digit; i < text.Length && (digit = (uint)(text[i] - '0')) <= 9; i++)
            {
                mantissa = (mantissa * 10) + digit;
            }

            places = i - point;
            digits += places;
        }
    }

    /// <summary>
    /// The value of <paramref name="digits"/> digits making <paramref name="mantissa"/> with <paramref name="places"/>
    /// of them after the point, when the one division that gives it is exact; false otherwise (no digits, more than
    /// nineteen, or a mantissa or power of ten beyond the type's exact range).
    /// </summary>
    private static bool Exact<T>(ulong mantissa, int digits, int places, bool negative, out T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        value = default;
        if (digits == 0 || digits > 19)
        {
            return false;
        }

        if (typeof(T) == typeof(double))
        {
            if (mantissa >= 1UL << 53 || places >= DoublePowers.Length)
            {
                return false;
            }

            double exact = mantissa / DoublePowers[places];
            value = T.CreateTruncating(negative ? -exact : exact);
            return true;
        }

        if (typeof(T) == typeof(float))
        {
            if (mantissa >= 1UL << 24 || places >= SinglePowers.Length)
            {
                return false;
            }

            float exact = mantissa / SinglePowers[places];
            value = T.CreateTruncating(negative ? -exact : exact);
            return true;
        }

        return false;
    }
}
