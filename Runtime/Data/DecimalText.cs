using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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

    /// <summary>
    /// As <see cref="TryParse{T}(ReadOnlySpan{char}, out T)"/>, for the <paramref name="length"/> characters of
    /// <paramref name="buffer"/> from <paramref name="start"/>. Where the buffer holds eight characters past the sign,
    /// a text of at most eight characters after its sign (up to eight digits, or seven and the point) is read in one
    /// vector, without the loop's branch per digit, whose exit comes at another digit from cell to cell. The same values,
    /// bit for bit, as the loop.
    /// </summary>
    public static bool TryParse<T>(char[] buffer, int start, int length, out T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length > 0)
        {
            char lead = buffer[start];
            int sign = lead is '-' or '+' ? 1 : 0;
            int body = length - sign;
            if (TryShort(buffer, start + sign, body, out ulong mantissa, out int places)
                && (typeof(T) == typeof(double) || (typeof(T) == typeof(float) && mantissa < 1UL << 24)))
            {
                T exact = T.CreateTruncating(mantissa) / T.CreateTruncating(Powers[places]);
                value = lead == '-' ? -exact : exact;
                return true;
            }
        }

        return TryParse(buffer.AsSpan(start, length), out value);
    }

    /// <summary>
    /// Reads the <paramref name="length"/> characters of <paramref name="buffer"/> from <paramref name="start"/> in one
    /// vector as digits with at most one point: m and the places after the point. False if there are not 1 to 8 of them,
    /// the buffer does not hold eight characters from the start, any is something else, or there are no digits.
    /// </summary>
    internal static bool TryShort(char[] buffer, int start, int length, out ulong mantissa, out int places)
    {
        mantissa = 0;
        places = 0;
        if (length is <= 0 or > 8 || (uint)start > (uint)buffer.Length || buffer.Length - start < 8)
        {
            return false;
        }

        Vector128<ushort> characters = Vector128.LoadUnsafe(ref Unsafe.As<char, ushort>(ref buffer[start]));
        Vector128<ushort> digits = characters - Vector128.Create((ushort)'0');
        uint inside = (1u << length) - 1;
        uint isDigit = Vector128.LessThan(digits, Vector128.Create((ushort)10)).ExtractMostSignificantBits() & inside;
        uint isPoint = Vector128.Equals(characters, Vector128.Create((ushort)'.')).ExtractMostSignificantBits() & inside;
        if ((isDigit | isPoint) != inside || (isPoint & (isPoint - 1)) != 0 || isDigit == 0)
        {
            return false;
        }

        // The digits as bytes, first digit in the lowest byte; the point's byte is taken out and the digits after it
        // moved down one byte, then the count of digits is made eight by leading zeros (zero bytes are digit 0).
        ulong bytes = Vector128.Narrow(digits, digits).AsUInt64().ToScalar();
        int count = length;
        if (isPoint != 0)
        {
            int point = BitOperations.TrailingZeroCount(isPoint);
            ulong below = (1UL << (8 * point)) - 1;
            bytes = (bytes & below) | ((bytes >> 8) & ~below);
            count--;
            places = count - point;
        }

        bytes <<= 8 * (8 - count);
        // Eight digits to one number in three multiplications: pairs of digits, then pairs of pairs, in each half.
        bytes = (bytes * 10) + (bytes >> 8);
        bytes = (((bytes & 0x000000FF000000FF) * (100 + (1000000UL << 32))) + (((bytes >> 16) & 0x000000FF000000FF) * (1 + (10000UL << 32)))) >> 32;
        mantissa = (uint)bytes;
        return true;
    }

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
