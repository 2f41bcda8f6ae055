using System;
using System.Linq;

namespace AeGen.Kernels;

/// <summary>
/// The six kinds of matrix product in a dense model's passes, by the shape of their operands; the products of one
/// kind behave alike, so a plan cuts them up alike.
/// </summary>
internal enum ProductKind
{
    /// <summary>Depth n, k columns: X·W1 (forward) and dZ2·W2ᵀ (backward).</summary>
    Encoder,

    /// <summary>Depth k, n columns: H1·W2.</summary>
    Decoder,

    /// <summary>Depth n, n columns: H2·W3 and dX̂·W3ᵀ.</summary>
    Output,

    /// <summary>dW1 += Xᵀ·dZ1: n × k, over the rows.</summary>
    EncoderGradient,

    /// <summary>dW2 += H1ᵀ·dZ2: k × n, over the rows.</summary>
    DecoderGradient,

    /// <summary>dW3 += H2ᵀ·dX̂: n × n, over the rows.</summary>
    OutputGradient,
}

/// <summary>How every kind of product of one model is cut up on this machine.</summary>
internal sealed class KernelPlan
{
    public static readonly int KindCount = Enum.GetValues<ProductKind>().Length;

    private readonly Blocking[] _blockings;

    public KernelPlan(Blocking[] blockings)
    {
        if (blockings.Length != KindCount)
        {
            throw new ArgumentException($"A plan names a blocking for each of the {KindCount} kinds of product, not {blockings.Length}.", nameof(blockings));
        }

        _blockings = (Blocking[])blockings.Clone();
    }

    /// <summary>One blocking for every kind.</summary>
    public static KernelPlan Uniform(Blocking blocking) => new(Enumerable.Repeat(blocking, KindCount).ToArray());

    public Blocking this[ProductKind kind] => _blockings[(int)kind];

    /// <summary>The blockings in the order of <see cref="ProductKind"/>, separated by spaces, as wisdom stores them.</summary>
    public override string ToString() => string.Join(" ", _blockings);

    /// <summary>Reads what <see cref="ToString"/> wrote.</summary>
    /// <exception cref="FormatException">It names another number of blockings, or one of them is not a blocking.</exception>
    public static KernelPlan Parse(string text)
    {
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != KindCount)
        {
            throw new FormatException($"A kernel plan has {KindCount} blockings (one per kind of product: {string.Join(", ", Enum.GetNames<ProductKind>())}), but '{text}' has {parts.Length}.");
        }

        return new KernelPlan(Array.ConvertAll(parts, Blocking.Parse));
    }
}
