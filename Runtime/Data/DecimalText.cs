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
    /// <summary>10^0 … 10^22, every one exact in double (and up to 10^10 in float).</summary>
    private static readonly double[] Powers =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>Reads <paramref name="text"/> if it is a plain decimal within the fast path; false leaves it to a general parser.</summary>
    public static bool TryParse<T>(ReadOnlySpan<char> text, out T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        value = default;
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            i = 1;
        }

        // The integer part, then the fraction; more than nineteen digits in all may overflow m, and are refused below.
        ulong mantissa = 0;
        int first = i;
        for (uint digit; i < text.Length && (digit = (uint)(text[i] - '0')) <= 9; i++)
        {
            mantissa = (mantissa * 10) + digit;
        }

        int digits = i - first, places = 0;
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

        // m and 10^d must both be exact in T: below 2^53 and d ≤ 22 for double, 2^24 and d ≤ 10 for float.
        bool single = typeof(T) == typeof(float);
        if (i != text.Length || digits == 0 || digits > 19 || (typeof(T) != typeof(double) && !single)
            || mantissa >= (single ? 1UL << 24 : 1UL << 53) || places > (single ? 10 : 22))
        {
            return false;
        }

        // One division in T, of two exact values: correctly rounded.
        T exact = T.CreateTruncating(mantissa) / T.CreateTruncating(Powers[places]);
        value = negative ? -exact : exact;
        return true;
    }
}
