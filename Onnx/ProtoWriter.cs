using System;
using System.Buffers.Binary;
using System.Text;

namespace AeGen.Onnx;

/// <summary>
/// Writes protocol-buffer messages field by field: the few encodings an ONNX model uses (varints, length-delimited
/// strings, bytes and nested messages). A nested message is written into a writer of its own and then added to its
/// parent with its length in front, which is how the format nests.
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;

    private byte[] _buffer = new byte[64];
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>An integer field (int32, int64 or an enum), written even when zero.</summary>
    public ProtoWriter Int64(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    /// <summary>A string field, as UTF-8.</summary>
    public ProtoWriter String(int field, string value)
    {
        Tag(field, LengthDelimited);
        int count = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
        return this;
    }

    /// <summary>A bytes field.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        value.CopyTo(Reserve(value.Length));
        return this;
    }

    /// <summary>A nested message, built by <paramref name="body"/>.</summary>
    public ProtoWriter Message(int field, Action<ProtoWriter> body)
    {
        var nested = new ProtoWriter();
        body(nested);
        return Bytes(field, nested.Written);
    }

    /// <summary>Values as little-endian IEEE 754 bytes, the layout of a tensor's raw data.</summary>
    public static byte[] LittleEndian(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    /// <inheritdoc cref="LittleEndian(ReadOnlySpan{float})"/>
    public static byte[] LittleEndian(ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        }

        return bytes;
    }

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        Span<byte> bytes = Reserve(VarintLength(value));
        int i = 0;
        while (value >= 0x80)
        {
            bytes[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        bytes[i] = (byte)value;
    }

    private static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        Span<byte> reserved = _buffer.AsSpan(_length, count);
        _length += count;
        return reserved;
    }
}
