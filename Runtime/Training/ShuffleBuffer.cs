using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Rows held back from a stream so that the order they train in is mixed across blocks, as tf.data's shuffle buffer
/// mixes them: the first rows fill it; after that each arriving row takes the place of one drawn at random, which
/// leaves for the mini-batch; when the stream ends, the rows left go in a random order. Its memory grows with the rows
/// it holds, up to its capacity, and is kept for the next epoch.
/// </summary>
internal sealed class ShuffleBuffer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _width;
    private T[] _values = [];

    public ShuffleBuffer(int capacity, int width)
    {
        Capacity = capacity;
        _width = width;
    }

    /// <summary>The most rows it holds.</summary>
    public int Capacity { get; }

    /// <summary>The rows it holds now.</summary>
    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>The rows it holds, one after another.</summary>
    public ReadOnlySpan<T> Rows => _values.AsSpan(0, Count * _width);

    /// <summary>The place of row <paramref name="index"/>, to read it before it is overwritten, or to overwrite it.</summary>
    public Span<T> Row(int index) => _values.AsSpan(index * _width, _width);

    /// <summary>The place of a new last row (the buffer is not full); its memory doubles when it must grow.</summary>
    public Span<T> Append()
    {
        if ((Count + 1) * _width > _values.Length)
        {
            long rows = Math.Min(Math.Max(2L * Count, 1024), Capacity);
            Array.Resize(ref _values, (int)(rows * _width));
        }

        return Row(Count++);
    }

    /// <summary>Forgets the rows; the memory stays for the next epoch.</summary>
    public void Clear() => Count = 0;
}
