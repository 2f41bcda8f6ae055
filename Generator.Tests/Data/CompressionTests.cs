using System;
using System.Linq;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Data;

/// <summary>Codes of rows in the caller's units, and rows back from codes, in blocks shared by the cores.</summary>
public sealed class CompressionTests
{
    [Theory]
    [InlineData("dense")]
    [InlineData("unrolled")]
    [InlineData("packed rows")]
    public void Codes_and_decoded_rows_are_the_same_bits_on_any_number_of_threads_and_in_any_block(string kind)
    {
        // 5,000 rows: two whole blocks of AutoencoderScoring.BlockRows and a partial one.
        IAutoencoder<float> model = kind switch { "dense" => new F64x16(seed: 4), "unrolled" => new F8x3(seed: 4), _ => new F3x2(seed: 4) };
        TestData.Perturb(model.Parameters, 3, amplitude: 0.3);
        int n = model.Inputs, k = model.Hidden, m = 5_000;
        float[] raw = TestData.Rows<float>(m, n, 11).Select(v => (v * 30) + 5).ToArray();
        model.Scaler = FeatureScaler.Fit(ScalerKind.Standard, (ReadOnlySpan<float>)raw, n);
        float[] before = (float[])raw.Clone();

        float[] one = new float[m * k], two = new float[m * k];
        model.Compress(raw, one, maxDegreeOfParallelism: 1);
        model.Compress(raw, two, maxDegreeOfParallelism: 2);
        Assert.Equal(one, two);
        Assert.Equal(one, model.Compress(raw));
        Assert.Equal(before, raw);

        float[] backOne = new float[m * n], backTwo = new float[m * n];
        model.Decompress(two, backOne, maxDegreeOfParallelism: 1);
        model.Decompress(two, backTwo);
        Assert.Equal(backOne, backTwo);

        // Each row as if it were the only one: rows on either side of a block's edge land where they belong.
        foreach (int r in new[] { 0, AutoencoderScoring.BlockRows - 1, AutoencoderScoring.BlockRows, m - 1 })
        {
            Assert.Equal(model.Compress(raw.AsSpan(r * n, n)), two.AsSpan(r * k, k).ToArray());
            float[] alone = new float[n];
            model.Decompress(two.AsSpan(r * k, k), alone);
            Assert.Equal(alone, backTwo.AsSpan(r * n, n).ToArray());
        }
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("unrolled")]
    public void A_code_is_the_bottleneck_of_the_scaled_row_and_decompressing_it_reconstructs_the_row(string kind)
    {
        IAutoencoder<double> model = kind == "dense" ? new D64x16(seed: 5) : new D8x3(seed: 5);
        TestData.Perturb(model.Parameters, 4, amplitude: 0.3);
        int n = model.Inputs, k = model.Hidden, m = 37;
        double[] raw = TestData.Rows<double>(m, n, 12).Select(v => (v * 80) - 30).ToArray();
        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.MinMax, (ReadOnlySpan<double>)raw, n);
        model.Scaler = scaler;

        double[] codes = model.Compress(raw);

        // h1 = σ(x′·W1 + b1), summed here in double from the parameters in their documented order (W1 is n × k, then b1).
        ReadOnlySpan<double> p = model.Parameters;
        var scaled = new double[raw.Length];
        scaler.Transform<double>(raw, scaled);
        for (int r = 0; r < m; r++)
        {
            for (int j = 0; j < k; j++)
            {
                double z = p[(n * k) + j];
                for (int i = 0; i < n; i++)
                {
                    z += scaled[(r * n) + i] * p[(i * k) + j];
                }

                Assert.Equal(1 / (1 + Math.Exp(-z)), codes[(r * k) + j], 12);
            }
        }

        // Decoding the codes and mapping back is what Reconstruct does in one call.
        var decoded = new double[raw.Length];
        model.Decompress(codes, decoded);
        var reconstructed = new double[raw.Length];
        model.Reconstruct(raw, reconstructed);
        for (int i = 0; i < raw.Length; i++)
        {
            Assert.Equal(reconstructed[i], decoded[i], 12);
        }
    }

    [Fact]
    public void Without_a_scaler_codes_are_the_generated_Encode_and_rows_the_generated_Decode()
    {
        var model = new F8x3(seed: 6);
        TestData.Perturb(model.Parameters, 5, amplitude: 0.3);
        float[] x = TestData.Rows<float>(9, 8, 13);
        float[] expected = new float[9 * 3];
        model.Encode(x, expected);
        Assert.Equal(expected, model.Compress(x));

        float[] rows = new float[9 * 8], decoded = new float[9 * 8];
        model.Decompress(expected, rows);
        model.Decode(expected, decoded);
        Assert.Equal(decoded, rows);
    }

    [Fact]
    public void Rows_and_codes_of_the_wrong_length_or_a_bad_thread_count_are_refused_and_nothing_is_written()
    {
        var model = new F8x3();
        float[] rows = new float[16];
        float[] codes = Enumerable.Repeat(7f, 5).ToArray();

        var shortCodes = Assert.Throws<ArgumentException>(() => model.Compress(rows, codes));
        Assert.Equal("codes", shortCodes.ParamName);
        Assert.All(codes, c => Assert.Equal(7f, c));
        var partialRow = Assert.Throws<ArgumentException>(() => model.Compress(new float[12], new float[3]));
        Assert.Equal("rows", partialRow.ParamName);
        var partialCode = Assert.Throws<ArgumentException>(() => model.Decompress(new float[4], new float[8]));
        Assert.Equal("codes", partialCode.ParamName);
        var longRows = Assert.Throws<ArgumentException>(() => model.Decompress(new float[6], new float[8]));
        Assert.Equal("rows", longRows.ParamName);

        var threads = Assert.Throws<ArgumentOutOfRangeException>(() => model.Compress(rows, new float[6], maxDegreeOfParallelism: 0));
        Assert.Equal("maxDegreeOfParallelism", threads.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Decompress(new float[6], rows, maxDegreeOfParallelism: -3));
    }
}
