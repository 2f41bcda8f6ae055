using System.Linq;
using System.Text;
using Xunit;

namespace AeGen.Tests.Generation;

/// <summary>
/// What a model costs its user in source: a dense model's code is the same small text whatever its shape, since its
/// kernels live in the runtime; an unrolled model writes every product out, so its text grows with its parameters,
/// and the smallest must stay small. (tools/rebuild-cost.sh measures the build time that follows.)
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
    public void The_smallest_unrolled_models_are_under_40_KB(string attribute) =>
        Assert.InRange(Size(attribute), 1_000, 40_000);

    [Fact]
    public void An_unrolled_model_at_the_limit_is_under_110_KB()
    {
        // 1×65 and 8×7 have 199 parameters, the most an unrolled model has (ModelEmitter.UnrollLimit). Their products
        // are written a term per line, which costs them about a ninth more text than one line per product did.
        Assert.InRange(Size("[Autoencoder(1, 65)]"), 40_000, 110_000);
        Assert.InRange(Size("[Autoencoder(8, 7)]"), 40_000, 110_000);
    }

    [Theory]
    [InlineData("[Autoencoder(8, 3)]")]
    [InlineData("[Autoencoder(8, 7)]")]
    [InlineData("[Autoencoder(4, 4)]")]
    [InlineData("[Autoencoder(1, 65)]")]
    public void A_product_over_a_wide_layer_is_written_a_term_per_line(string attribute)
    {
        // One line per product had made lines of 768 characters at 8×3 and 5,525 at 1×65, and its declarations of
        // gradient accumulators one of 1,318.
        string[] lines = Source(attribute).Split('\n');
        string longest = lines.OrderByDescending(line => line.Length).First();
        Assert.True(longest.Length <= 300, $"{attribute}: a line of {longest.Length} characters: {longest[..80]}…");
        Assert.Contains(lines, line => line.TrimStart().StartsWith("Vector256.MultiplyAddEstimate(", System.StringComparison.Ordinal));
    }

    private static int Size(string attribute) => Encoding.UTF8.GetByteCount(Source(attribute));

    private static string Source(string attribute)
    {
        var (run, errors) = GeneratorHarness.Generate($"using AeGen;\n\nnamespace Demo;\n\n{attribute}\npublic partial class Model;\n");
        Assert.Empty(errors);
        return run.GeneratedSources.Single().SourceText.ToString();
    }
}
