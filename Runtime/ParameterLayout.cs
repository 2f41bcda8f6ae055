namespace AeGen;

/// <summary>
/// Where each tensor of an n-input, k-hidden autoencoder sits in its flat parameter vector:
/// W1 (n×k), b1 (k), W2 (k×n), b2 (n), W3 (n×n), b3 (n), matrices row-major.
/// The generator bakes the same offsets into each model as constants.
/// </summary>
/// <param name="Inputs">n.</param>
/// <param name="Hidden">k.</param>
public readonly record struct ParameterLayout(int Inputs, int Hidden)
{
    /// <summary>Offset of W1 (n×k).</summary>
    public int W1 => 0;

    /// <summary>Offset of b1 (k).</summary>
    public int B1 => Inputs * Hidden;

    /// <summary>Offset of W2 (k×n).</summary>
    public int W2 => B1 + Hidden;

    /// <summary>Offset of b2 (n).</summary>
    public int B2 => W2 + Hidden * Inputs;

    /// <summary>Offset of W3 (n×n).</summary>
    public int W3 => B2 + Inputs;

    /// <summary>Offset of b3 (n).</summary>
    public int B3 => W3 + Inputs * Inputs;

    /// <summary>Total number of parameters.</summary>
    public int Count => B3 + Inputs;
}
