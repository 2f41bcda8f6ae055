namespace AeGen.Generator.Model;

/// <summary>
/// The largest shapes the generator accepts: the largest the tests compile, check against a reference forward
/// pass and hold to the JIT's optimization limits. Small models keep a group of rows on the stack (at most
/// 8·2n values), larger ones rent 64·(k + 2n) values per call from the shared array pool.
/// </summary>
internal static class ShapeLimits
{
    public const int MaxInputs = 2048;
    public const int MaxHidden = 2048;
}
