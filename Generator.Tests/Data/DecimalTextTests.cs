using System;
using System.Globalization;
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
}
