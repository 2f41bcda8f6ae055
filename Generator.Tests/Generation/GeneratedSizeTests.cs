using System.Linq;
using System.Text;
using Xunit;

namespace AeGen.Tests.Generation;

/// <summary>
/// What a model costs its user in source: a dense model's code is the same small text whatever its shape, since its
/// kernels live in the runtime, and so is an unrolled model's, whose row-per-lane kernels are the runtime's too; only
/// the packed-row kernels of the narrowest models are written out. (tools/rebuild-cost.sh measures the build time
/// that follows.)
/// </summary>
public class GeneratedSizeTests
{
    [Theory]
    [InlineData("[Autoencoder(16, 3)]")]
    [InlineData("[Autoencoder(64, 16)]")]
    [InlineData("[Autoencoder(2048, 2048, Precision = Precision.Double)]")]
    public void A_dense_model_is_under_20_KB_whatever_its_shape(string attribute) =>
        Assert.InRange(Size(attribute), 1_000, 20_000);

    [Theory]
    [InlineData("[Autoencoder(2, 2)]")]
    [InlineData("[Autoencoder(1, 1, Precision = Precision.Double)]")]
    [InlineData("[Autoencoder(4, 2)]")]
    [InlineData("[Autoencoder(2, 4)]")]
    [InlineData("[Autoencoder(4, 4)]")]
    [InlineData("[Autoencoder(5, 3, Precision = Precision.Double)]")]
    [InlineData("[Autoencoder(8, 3)]")]
    [InlineData("[Autoencoder(12, 1)]")]
    [InlineData("[Autoencoder(8, 7)]")]
    [InlineData("[Autoencoder(1, 65)]")]
    public void Every_unrolled_model_is_under_40_KB(string attribute) =>
        // The packed-row models (the first five) write their 512-bit kernels out; the others only their shape.
        Assert.InRange(Size(attribute), 1_000, 40_000);

    [Fact]
    public void A_row_per_lane_model_costs_the_same_text_whatever_its_shape()
    {
        // Its kernels are the runtime's, compiled for the shape the generated code declares: 1×65 (199 parameters,
        // the most an unrolled model has) and 8×3 (62) differ only in their numbers.
        int small = Size("[Autoencoder(8, 3)]"), large = Size("[Autoencoder(1, 65)]");
        Assert.InRange(large - small, -100, 100);
    }

    [Theory]
    [InlineData("[Autoencoder(8, 3)]")]
    [InlineData("[Autoencoder(8, 7)]")]
    [InlineData("[Autoencoder(4, 4)]")]
    [InlineData("[Autoencoder(4, 2)]")]
    [InlineData("[Autoencoder(1, 65)]")]
    public void No_line_is_longer_than_300_characters(string attribute)
    {
        // One line per product had made lines of 768 characters at 8×3 and 5,525 at 1×65, and its declarations of
        // gradient accumulators one of 1,318.
        string[] lines = Source(attribute).Split('\n');
        string longest = lines.OrderByDescending(line => line.Length).First();
        Assert.True(longest.Length <= 300, $"{attribute}: a line of {longest.Length} characters: {longest[..80]}…");
    }

    private static int Size(string attribute) => Encoding.UTF8.GetByteCount(Source(attribute));

    private static string Source(string attribute)
    {
        var (run, errors) = GeneratorHarness.Generate($"using AeGen;\n\nnamespace Demo;\n\n{attribute}\npublic partial class Model;\n");
        Assert.Empty(errors);
        return run.GeneratedSources.Single().SourceText.ToString();
    }
}
