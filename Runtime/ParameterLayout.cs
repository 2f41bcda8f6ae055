using System.Runtime.CompilerServices;

namespace AeGen;

/// <summary>
/// Where each tensor of an n-input, k-hidden autoencoder sits in its flat parameter vector:
/// W1 (n×k), b1 (k), W2 (k×n), b2 (n), W3 (n×n), b3 (n), matrices row-major. The runtime's one statement of the
/// layout: the kernels, the checkpoint reader and writer (through <see cref="Tensors"/>) read it from here. The
/// generator, which cannot reference the runtime, bakes the same offsets into each model as constants, and a test
/// compares those with this type for every kind of model.
/// </summary>
/// <param name="Inputs">n.</param>
/// <param name="Hidden">k.</param>
public readonly record struct ParameterLayout(int Inputs, int Hidden)
{
    // The offsets are marked for inlining: the lane kernels take them from a layout of their shape's constants, and
    // the JIT judged even B1 unprofitable to inline into them.
    /// <summary>Offset of W1 (n×k).</summary>
    public int W1 { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 0; }

    /// <summary>Offset of b1 (k).</summary>
    public int B1 { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Inputs * Hidden; }

    /// <summary>Offset of W2 (k×n).</summary>
    public int W2 { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => B1 + Hidden; }

    /// <summary>Offset of b2 (n).</summary>
    public int B2 { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => W2 + Hidden * Inputs; }

    /// <summary>Offset of W3 (n×n).</summary>
    public int W3 { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => B2 + Inputs; }

    /// <summary>Offset of b3 (n).</summary>
    public int B3 { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => W3 + Inputs * Inputs; }

    /// <summary>Total number of parameters.</summary>
    public int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => B3 + Inputs; }

    /// <summary>The six tensors in layout order, each with its checkpoint name, its start and its shape.</summary>
    internal ParameterTensor[] Tensors =>
    [
        new(TensorNames[0], W1, [Inputs, Hidden]),
        new(TensorNames[1], B1, [Hidden]),
        new(TensorNames[2], W2, [Hidden, Inputs]),
        new(TensorNames[3], B2, [Inputs]),
        new(TensorNames[4], W3, [Inputs, Inputs]),
        new(TensorNames[5], B3, [Inputs]),
    ];

    /// <summary>The names of <see cref="Tensors"/> in checkpoints, in layout order.</summary>
    internal static readonly string[] TensorNames = ["w1", "b1", "w2", "b2", "w3", "b3"];

    /// <summary>The names for messages: "w1, b1, w2, b2, w3 and b3".</summary>
    internal static string TensorNameList => string.Join(", ", TensorNames[..^1]) + " and " + TensorNames[^1];
}

/// <summary>One tensor of a <see cref="ParameterLayout"/>: its name in checkpoints, its first element and its shape.</summary>
internal readonly record struct ParameterTensor(string Name, int Start, int[] Shape)
{
    /// <summary>Its number of elements.</summary>
    public int Length => Shape.Length == 1 ? Shape[0] : Shape[0] * Shape[1];

    /// <summary>Its size in bytes with elements of <paramref name="elementSize"/> bytes.</summary>
    public long Bytes(int elementSize) => (long)Length * elementSize;
}
