using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace AeGen;

/// <summary>Serializes a model, and its scaler if any, to the bytes of a safetensors file.</summary>
internal static class SafetensorsWriter
{
    public static byte[] Write<T>(IAutoencoder<T> model, OptimizerSnapshot<T>? optimizer = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = model.Inputs, k = model.Hidden;
        int size = Marshal.SizeOf<T>();
        ReadOnlySpan<T> parameters = model.Parameters;
        int count = parameters.Length;
        (string Name, T[] Values)[] buffers = optimizer?.Buffers ?? [];
        byte[] data = new byte[(long)count * size * (1 + buffers.Length)];
        MemoryMarshal.AsBytes(parameters).CopyTo(data);
        for (int b = 0; b < buffers.Length; b++)
        {
            MemoryMarshal.AsBytes(buffers[b].Values.AsSpan(0, count)).CopyTo(data.AsSpan((b + 1) * count * size));
        }

        SafetensorsLayout.SwapToFileOrder(data, size);

        var header = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartObject(SafetensorsLayout.MetadataKey);
            json.WriteString(SafetensorsLayout.InputsKey, n.ToString(CultureInfo.InvariantCulture));
            json.WriteString(SafetensorsLayout.HiddenKey, k.ToString(CultureInfo.InvariantCulture));
            json.WriteString(SafetensorsLayout.PrecisionKey, SafetensorsLayout.PrecisionName<T>());
            FeatureScaler? scaler = model.Scaler;
            string scalerName = SafetensorsLayout.ScalerName(scaler?.Kind ?? ScalerKind.None);
            string? shift = scaler is null ? null : Join(scaler.Shift);
            string? divisor = scaler is null ? null : Join(scaler.Divisor);
            json.WriteString(SafetensorsLayout.ScalerKey, scalerName);
            if (scaler is not null)
            {
                json.WriteString(SafetensorsLayout.ScalerShiftKey, shift);
                json.WriteString(SafetensorsLayout.ScalerDivisorKey, divisor);
            }

            if (optimizer is not null)
            {
                json.WriteString(SafetensorsLayout.OptimizerKey, optimizer.Description);
                json.WriteString(SafetensorsLayout.OptimizerStepsKey, optimizer.Steps.ToString(CultureInfo.InvariantCulture));
                json.WriteString(SafetensorsLayout.OptimizerScalarsKey, Join(optimizer.Scalars));
            }

            json.WriteString(SafetensorsLayout.VersionKey, typeof(SafetensorsWriter).Assembly.GetName().Version?.ToString(3) ?? "unknown");
            json.WriteString(SafetensorsLayout.ChecksumKey, SafetensorsLayout.Checksum(data, scalerName, shift, divisor).ToString("x16", CultureInfo.InvariantCulture));
            json.WriteEndObject();

            long offset = 0;
            foreach (ParameterTensor tensor in new ParameterLayout(n, k).Tensors)
            {
                offset = Entry(json, tensor.Name, tensor.Shape, SafetensorsLayout.DType<T>(), offset, tensor.Bytes(size));
            }

            foreach ((string name, _) in buffers)
            {
                offset = Entry(json, SafetensorsLayout.OptimizerTensorPrefix + name, [count], SafetensorsLayout.DType<T>(), offset, (long)count * size);
            }

            json.WriteEndObject();
        }

        // Pad the header with spaces (which the format allows) so the data starts 8-byte aligned.
        int headerLength = (header.WrittenCount + 7) / 8 * 8;
        var file = new byte[8 + headerLength + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerLength);
        header.WrittenSpan.CopyTo(file.AsSpan(8));
        file.AsSpan(8 + header.WrittenCount, headerLength - header.WrittenCount).Fill((byte)' ');
        data.CopyTo(file.AsSpan(8 + headerLength));
        return file;
    }

    /// <summary>One tensor's header entry, its data at <paramref name="offset"/>; returns where the next one's data starts.</summary>
    private static long Entry(Utf8JsonWriter json, string name, int[] shape, string dtype, long offset, long bytes)
    {
        json.WriteStartObject(name);
        json.WriteString("dtype", dtype);
        json.WriteStartArray("shape");
        foreach (int dimension in shape)
        {
            json.WriteNumberValue(dimension);
        }

        json.WriteEndArray();
        json.WriteStartArray("data_offsets");
        json.WriteNumberValue(offset);
        json.WriteNumberValue(offset + bytes);
        json.WriteEndArray();
        json.WriteEndObject();
        return offset + bytes;
    }

    /// <summary>Round-trip decimal values separated by spaces.</summary>
    private static string Join(ReadOnlySpan<double> values)
    {
        var text = new StringBuilder();
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(values[i].ToString("R", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
