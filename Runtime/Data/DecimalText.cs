using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>10^0 … 10^7 in float, every one exact: the places a short text can have.</summary>
    private static readonly float[] SinglePowers = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f];

    /// <summary>
    /// As <see cref="TryParse{T}(ReadOnlySpan{char}, out T)"/>, for the <paramref name="length"/> characters of
    /// <paramref name="buffer"/> from <paramref name="start"/>. Where the buffer holds eight characters past the sign,
    /// a text of at most eight characters after its sign (up to eight digits, or seven and the point) is read in one
    /// vector, without the loop's branch per digit, whose exit comes at another digit from cell to cell. The same values,
    /// bit for bit, as the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParse<T>(char[] buffer, int start, int length, out T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length > 0)
        {
            char lead = buffer[start];
            int sign = lead is '-' or '+' ? 1 : 0;
            int body = length - sign;
            if (TryShort(buffer, start + sign, body, out ulong mantissa, out int places) && IsExactIn<T>(mantissa))
            {
                value = Exact<T>(mantissa, places, lead == '-');
                return true;
            }
        }

        return TryParse(buffer.AsSpan(start, length), out value);
    }

    /// <summary>
    /// As <see cref="TryParse{T}(char[], int, int, out T)"/>, for the <paramref name="length"/> UTF-8 bytes of
    /// <paramref name="buffer"/> from <paramref name="start"/>: false leaves the text to the callers' decoding and
    /// general parsing, including texts that the loop would read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseShort<T>(byte[] buffer, int start, int length, out T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        value = default;
        if (length <= 0)
        {
            return false;
        }

        byte lead = buffer[start];
        int sign = lead is (byte)'-' or (byte)'+' ? 1 : 0;
        if (!TryShort(buffer, start + sign, length - sign, out ulong mantissa, out int places) || !IsExactIn<T>(mantissa))
        {
            return false;
        }

        value = Exact<T>(mantissa, places, lead == (byte)'-');
        return true;
    }

    /// <summary>Whether a short text's mantissa (at most eight digits) is exact in T: always in double, below 2^24 in float; never in another type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsExactIn<T>(ulong mantissa) =>
        typeof(T) == typeof(double) || (typeof(T) == typeof(float) && mantissa < 1UL << 24);

    /// <summary>10^<paramref name="places"/> in T, exact, for at most seven places.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Power<T>(int places)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? Unsafe.BitCast<float, T>(Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(SinglePowers), places))
            : T.CreateTruncating(Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Powers), places));

    // Per byte of a word, without carries between bytes: a digit's byte XOR '0' is 0 to 9, and a byte is above 9 when
    // adding 0x76 to its low seven bits, or the byte itself, sets the top bit; the point's byte XOR '.' is zero, and a
    // byte is zero when adding 0x7F to its low seven bits, and the byte itself, both leave the top bit clear.
    private const ulong Ones = 0x0101010101010101, Low7 = 0x7F7F7F7F7F7F7F7F, Tops = 0x8080808080808080;

    /// <summary>The top bit of each byte of <paramref name="word"/> that is a point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Points(ulong word)
    {
        ulong pointed = word ^ (Ones * '.');
        return ~(((pointed & Low7) + Low7) | pointed) & Tops;
    }

    /// <summary>
    /// The cells of four words at once, each word a cell's last eight bytes (its text at the top, in string order, so
    /// that the leading zeros a number of fewer digits needs are the zero bytes below it) with
    /// <paramref name="insides"/> marking the text's bytes: each text's digits as one number, the point taken out.
    /// A lane whose text is not digits with at most one point, and one digit at least, is cleared in <paramref name="good"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> Mantissas(Vector256<ulong> words, Vector256<ulong> insides, ref Vector256<ulong> good)
    {
        Vector256<ulong> tops = Vector256.Create(Tops), low7 = Vector256.Create(Low7);
        Vector256<ulong> digits = (words ^ Vector256.Create(Ones * '0')) & insides;
        Vector256<ulong> notDigit = (((digits & low7) + Vector256.Create(Ones * 0x76)) | digits) & tops & insides;
        Vector256<ulong> pointed = words ^ Vector256.Create(Ones * '.');
        Vector256<ulong> isPoint = ~(((pointed & low7) + low7) | pointed) & tops & insides;
        Vector256<ulong> zero = Vector256<ulong>.Zero;
        good &= Vector256.Equals(notDigit, isPoint)
            & Vector256.Equals(isPoint & (isPoint - Vector256<ulong>.One), zero)
            & ~Vector256.Equals(~notDigit & tops & insides, zero);

        // The point's byte taken out: the bytes below it (the integer digits) move up one, into its place.
        Vector256<ulong> below = ((isPoint << 1) - Vector256<ulong>.One) & ~Vector256.Equals(isPoint, zero);
        Vector256<ulong> bytes = (digits & ~below) | ((digits << 8) & below);

        // Pairs of digits in every other byte, then in each 32-bit half the two pairs as one of four digits, then the
        // halves as one number of eight digits (each product fits in 32 bits).
        bytes = (bytes << 3) + (bytes << 1) + (bytes >> 8);
        Vector256<uint> halves = bytes.AsUInt32();
        halves = ((halves & Vector256.Create(0xFFu)) * Vector256.Create(100u)) + ((halves >> 16) & Vector256.Create(0xFFu));
        Vector256<ulong> scaled = (halves * Vector256.Create(10000u, 1u, 10000u, 1u, 10000u, 1u, 10000u, 1u)).AsUInt64();
        return (scaled & Vector256.Create(0xFFFFFFFFUL)) + (scaled >> 32);
    }

    /// <summary>m / 10^d in T, for at most eight digits and seven places: the mantissa converts as an int, the power comes exact from the table of the type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Exact<T>(ulong mantissa, int places, bool negative)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T exact = T.CreateTruncating((int)mantissa) / Power<T>(places);
        return negative ? -exact : exact;
    }

    /// <summary>
    /// Reads the <paramref name="length"/> characters of <paramref name="buffer"/> from <paramref name="start"/> in one
    /// vector as digits with at most one point: m and the places after the point. False if there are not 1 to 8 of them,
    /// the buffer does not hold eight characters from the start, any is something else, or there are no digits. The
    /// characters, all ASCII, are narrowed to one word of bytes and read as <see cref="TryShort(byte[], int, int, out ulong, out int)"/> reads UTF-8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryShort(char[] buffer, int start, int length, out ulong mantissa, out int places)
    {
        if (InReach(buffer.Length, start, length))
        {
            Vector128<ushort> characters = Vector128.LoadUnsafe(ref Unsafe.As<char, ushort>(ref buffer[start]));
            uint beyondAscii = Vector128.GreaterThan(characters, Vector128.Create((ushort)0x7F)).ExtractMostSignificantBits();
            if ((beyondAscii & ((1u << length) - 1)) == 0)
            {
                return TryWord(Vector128.Narrow(characters, characters).AsUInt64().ToScalar(), length, out mantissa, out places);
            }
        }

        mantissa = 0;
        places = 0;
        return false;
    }

    /// <summary>
    /// As <see cref="TryShort(char[], int, int, out ulong, out int)"/>, for UTF-8 text: the eight bytes from the start
    /// are one 64-bit word, whose bytes are classified together (no vector needed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryShort(byte[] buffer, int start, int length, out ulong mantissa, out int places)
    {
        if (InReach(buffer.Length, start, length))
        {
            ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buffer), start));
            return TryWord(BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word), length, out mantissa, out places);
        }

        mantissa = 0;
        places = 0;
        return false;
    }

    /// <summary>The text in the low <paramref name="length"/> bytes of <paramref name="word"/> (its first character lowest) read as digits with at most one point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryWord(ulong word, int length, out ulong mantissa, out int places)
    {
        mantissa = 0;
        places = 0;
        ulong inside = ulong.MaxValue >> (8 * (8 - length));
        ulong digits = (word ^ (Ones * '0')) & inside;
        ulong notDigit = ((digits & Low7) + (Ones * 0x76) | digits) & Tops & inside;
        ulong isPoint = Points(word) & inside;
        if (notDigit != isPoint || (isPoint & (isPoint - 1)) != 0 || (isPoint != 0 && length == 1))
        {
            return false;
        }

        int point = isPoint == 0 ? -1 : BitOperations.TrailingZeroCount(isPoint) >> 3;
        mantissa = Combine(digits, length, point, out places);
        return true;
    }

    /// <summary>Whether a text of <paramref name="length"/> from <paramref name="start"/> is 1 to 8 long and eight elements from its start lie in the buffer.</summary>
    private static bool InReach(int bufferLength, int start, int length) =>
        length is > 0 and <= 8 && (uint)start <= (uint)bufferLength && bufferLength - start >= 8;

    /// <summary>
    /// The number of <paramref name="length"/> digit bytes (0 to 9, the first in the lowest byte, zero above them), one
    /// of which, at <paramref name="point"/> unless it is -1, is the point: the point's byte is taken out and the
    /// digits after it moved down one byte, the count of digits made eight by leading zeros (zero bytes are digit 0),
    /// and the eight digits made one number in three multiplications: pairs of digits, then pairs of pairs, in each half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Combine(ulong bytes, int length, int point, out int places)
    {
        int count = length;
        places = 0;
        if (point >= 0)
        {
            ulong below = (1UL << (8 * point)) - 1;
            bytes = (bytes & below) | ((bytes >> 8) & ~below);
            count--;
            places = count - point;
        }

        bytes <<= 8 * (8 - count);
        bytes = (bytes * 10) + (bytes >> 8);
        bytes = (((bytes & 0x000000FF000000FF) * (100 + (1000000UL << 32))) + (((bytes >> 16) & 0x000000FF000000FF) * (1 + (10000UL << 32)))) >> 32;
        return (uint)bytes;
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
