namespace AeGen.Generator.Model;

/// <summary>
/// The largest shapes the generator accepts. Generated methods keep a few rows of activations on the
/// stack (about 4·(k + 2n) values in Backward), which bounds n and k well below a thread's stack size.
/// </summary>
internal static class ShapeLimits
{
    public const int MaxInputs = 2048;
    public const int MaxHidden = 2048;
}
