using System;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;
using Xunit;

namespace AeGen.Tests.Data;

/// <summary>The plain-decimal fast path against .NET's correctly rounded parser, bit for bit, and what it leaves to it.</summary>
public class DecimalTextTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.000")]
    [InlineData("+3")]
    [InlineData("5.")]
    [InlineData(".5")]
    [InlineData("0.1")]
    [InlineData("0.3")]
    [InlineData("12.345")]
    [InlineData("-7.8125")]
    [InlineData("16777215")]
    [InlineData("0.0000000001")]
    [InlineData("9007199254740991")]
    [InlineData("123456.7890123")]
    public void Plain_decimals_read_as_the_general_parser_reads_them(string text)
    {
        if (DecimalText.TryParse(text, out float single))
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(single));
        }

        Assert.True(DecimalText.TryParse(text, out double value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
    }

    [Fact]
    public void Random_decimals_of_every_length_read_bit_for_bit_as_the_general_parser_reads_them()
    {
        var random = new SplitMix64(31);
        int fast = 0;
        for (int i = 0; i < 200_000; i++)
        {
            int integerDigits = random.NextInt(9), places = random.NextInt(12);
            string integer = integerDigits == 0 ? "" : ((long)(random.NextDouble() * Math.Pow(10, integerDigits))).ToString(CultureInfo.InvariantCulture);
            string fraction = places == 0 ? "" : "." + ((long)(random.NextDouble() * Math.Pow(10, places))).ToString(CultureInfo.InvariantCulture).PadLeft(places, '0');
            string text = (random.NextInt(3) == 0 ? "-" : "") + (integer.Length + fraction.Length == 0 ? "0" : integer) + fraction;
            if (DecimalText.TryParse(text, out float single))
            {
                fast++;
                Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(single));
            }

            if (DecimalText.TryParse(text, out double value))
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
            }
        }

        // The fast path takes most of them: a float's mantissa below 2^24 and at most ten places.
        Assert.InRange(fast, 20_000, 200_000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1e5")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,5")]
    [InlineData("1.2.3")]
    [InlineData("NaN")]
    [InlineData("--1")]
    [InlineData("12345678901234567890")]
    [InlineData("0.12345678901234567890123")]
    public void Anything_else_is_left_to_the_general_parser(string text)
    {
        Assert.False(DecimalText.TryParse(text, out double _));
        Assert.False(DecimalText.TryParse(text, out float _));
    }

    [Theory]
    [InlineData("16777216")]
    [InlineData("0.00000000001")]
    [InlineData("9007199254740992")]
    public void Mantissas_or_places_beyond_the_exact_range_are_left_to_the_general_parser(string text)
    {
        Assert.False(DecimalText.TryParse(text, out float _));
        Assert.Equal(text != "9007199254740992", DecimalText.TryParse(text, out double _));
    }

    /// <summary>Reads <paramref name="text"/> from a buffer with <paramref name="slack"/> characters after it, as the CSV reader's buffers hold cells.</summary>
    private static (bool Read, T Value) FromBuffer<T>(string text, int offset, int slack, char filler)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        char[] buffer = (new string(filler, offset) + text + new string(filler, slack)).ToCharArray();
        bool read = DecimalText.TryParse(buffer, offset, text.Length, out T value);
        return (read, value);
    }

    private static string RandomText(ref SplitMix64 random, string alphabet, int length)
    {
        var chars = new char[length];
        for (int c = 0; c < length; c++)
        {
            chars[c] = alphabet[random.NextInt(alphabet.Length)];
        }

        return new string(chars);
    }

    [Fact]
    public void Short_cells_read_in_one_vector_give_the_loops_bits_and_refusals()
    {
        var random = new SplitMix64(77);
        const string alphabet = "0123456789..-+e 1x/:\u0660\u0130\uFF10";
        int withinReach = 0;
        for (int i = 0; i < 100_000; i++)
        {
            // Mostly short numbers, some with a character that is not a digit (including ones whose low byte is a
            // digit's, such as U+0130, and other scripts' digits), of every length up to eleven.
            string text;
            if (random.NextInt(4) == 0)
            {
                text = RandomText(ref random, alphabet, random.NextInt(12));
            }
            else
            {
                int integerDigits = random.NextInt(6), places = random.NextInt(6);
                string integer = ((long)(random.NextDouble() * Math.Pow(10, integerDigits))).ToString(CultureInfo.InvariantCulture).PadLeft(integerDigits, '0')[..integerDigits];
                string fraction = random.NextInt(5) == 0 ? "" : "." + ((long)(random.NextDouble() * Math.Pow(10, places))).ToString(CultureInfo.InvariantCulture).PadLeft(places, '0');
                text = (random.NextInt(3) switch { 0 => "-", 1 => "+", _ => "" }) + integer + fraction;
            }

            // From the end of a buffer (no room for a vector: the loop) and with room after it (the vector).
            int slack = random.NextInt(2) == 0 ? 0 : 8;
            char filler = random.NextInt(2) == 0 ? '7' : '.';
            bool loopFloat = DecimalText.TryParse(text, out float expectedFloat);
            bool loopDouble = DecimalText.TryParse(text, out double expectedDouble);
            (bool readFloat, float single) = FromBuffer<float>(text, random.NextInt(3), slack, filler);
            (bool readDouble, double value) = FromBuffer<double>(text, random.NextInt(3), slack, filler);
            Assert.True(loopFloat == readFloat, $"'{text}': the loop {(loopFloat ? "reads" : "refuses")} it as float");
            Assert.True(loopDouble == readDouble, $"'{text}': the loop {(loopDouble ? "reads" : "refuses")} it as double");
            if (readDouble)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
                // Cells the vector could take (room after them, at most eight characters after the sign); whether it
                // did is The_vector_and_the_UTF8_word_read_every_short_unsigned_cell_the_loop_reads_and_no_other's question.
                withinReach += slack > 0 && text.TrimStart('-', '+').Length <= 8 ? 1 : 0;
            }

            if (readFloat)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(single));
            }
        }

        Assert.InRange(withinReach, 20_000, 100_000);
    }

    [Fact]
    public void The_vector_and_the_UTF8_word_read_every_short_unsigned_cell_the_loop_reads_and_no_other()
    {
        var random = new SplitMix64(78);
        const string alphabet = "0123456789.0123456789.e x\u0660\u0130\uFF10\u0039\u1039";
        int read = 0;
        for (int i = 0; i < 100_000; i++)
        {
            string text = RandomText(ref random, alphabet, 1 + random.NextInt(8));
            char[] buffer = (text + "12345678").ToCharArray();
            bool loop = DecimalText.TryParse(text, out double expected);
            bool vector = DecimalText.TryShort(buffer, 0, text.Length, out ulong mantissa, out int places);
            Assert.True(loop == vector, $"'{text}': the loop {(loop ? "reads" : "refuses")} it, the vector does not");
            // The same text as UTF-8 (a character beyond ASCII is two or three bytes), read as one 64-bit word.
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            bool word = DecimalText.TryShort([.. utf8, .. "12345678"u8], 0, utf8.Length, out ulong wordMantissa, out int wordPlaces);
            Assert.True(loop == word, $"'{text}': the loop {(loop ? "reads" : "refuses")} it, the word does not");
            if (vector)
            {
                read++;
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(mantissa / Math.Pow(10, places)));
                Assert.Equal((mantissa, places), (wordMantissa, wordPlaces));
            }
        }

        Assert.InRange(read, 5_000, 100_000);
        Assert.False(DecimalText.TryShort("1234567".ToCharArray(), 0, 7, out _, out _));
    }

    [Fact]
    public void Four_cells_read_in_one_vector_give_the_loops_mantissas_and_refusals()
    {
        // Each lane: a cell's last eight bytes, the text at the top and other bytes (another cell, a separator) below.
        var random = new SplitMix64(80);
        const string alphabet = "0123456789.0123456789.0123456789-e x,";
        int read = 0;
        for (int i = 0; i < 25_000; i++)
        {
            var words = new ulong[4];
            var insides = new ulong[4];
            var texts = new string[4];
            for (int lane = 0; lane < 4; lane++)
            {
                texts[lane] = RandomText(ref random, alphabet, 1 + random.NextInt(8));
                string padded = RandomText(ref random, alphabet, 8 - texts[lane].Length) + texts[lane];
                words[lane] = BitConverter.ToUInt64(System.Text.Encoding.ASCII.GetBytes(padded));
                insides[lane] = ulong.MaxValue << (8 * (8 - texts[lane].Length));
            }

            Vector256<ulong> good = Vector256<ulong>.AllBitsSet;
            Vector256<ulong> mantissas = DecimalText.Mantissas(Vector256.Create(words), Vector256.Create(insides), ref good);
            for (int lane = 0; lane < 4; lane++)
            {
                bool loop = DecimalText.TryShort(texts[lane].ToCharArray().Concat("12345678").ToArray(), 0, texts[lane].Length, out ulong expected, out _);
                Assert.True(loop == (good[lane] == ulong.MaxValue), $"'{texts[lane]}': the loop {(loop ? "reads" : "refuses")} it, the vector does not");
                if (loop)
                {
                    read++;
                    Assert.Equal(expected, mantissas[lane]);
                }
            }
        }

        Assert.InRange(read, 5_000, 100_000);
    }

    [Theory]
    [InlineData("12345678", 12345678.0)]
    [InlineData("-1234.567", -1234.567)]
    [InlineData("0.0000001", 1e-7)]
    [InlineData("+.5", 0.5)]
    [InlineData("9.", 9.0)]
    [InlineData("-0", -0.0)]
    public void Short_cells_at_each_point_position_read_exactly(string text, double expected)
    {
        (bool read, double value) = FromBuffer<double>(text, 1, 8, '9');
        Assert.True(read);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("..")]
    [InlineData("-.")]
    [InlineData("12a4")]
    [InlineData("1\u01304")]
    [InlineData("\u0661")]
    [InlineData("1 ")]
    public void Short_cells_that_are_not_plain_decimals_are_refused_in_a_vector_too(string text)
    {
        Assert.False(FromBuffer<double>(text, 0, 8, '5').Read);
        Assert.False(FromBuffer<float>(text, 0, 8, '5').Read);
    }
}
