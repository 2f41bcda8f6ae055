using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Linq;
using System.Text.Json;

namespace AeGen;

/// <summary>
/// Parses and checks the bytes of a safetensors checkpoint for an n×k model of element type T, without touching any model:
/// every problem is found here and reported as a <see cref="CheckpointException"/> naming what is wrong.
/// </summary>
internal static class SafetensorsReader
{
    private sealed record TensorEntry(string DType, long[] Shape, long Begin, long End);

    /// <summary>The parameters in <see cref="ParameterLayout"/> order and the scaler the file describes (an optimizer's state in it is checked, and left).</summary>
    public static (T[] Parameters, FeatureScaler? Scaler) Read<T>(ReadOnlySpan<byte> file, int n, int k, string source)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Read<T>(file, n, k, source, out _);

    /// <summary>As <see cref="Read{T}(ReadOnlySpan{byte}, int, int, string)"/>, with the optimizer's state a trainer saved beside them, or null.</summary>
    public static (T[] Parameters, FeatureScaler? Scaler) Read<T>(ReadOnlySpan<byte> file, int n, int k, string source, out OptimizerSnapshot<T>? optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (file.Length < 8)
        {
            throw Fail(source, $"the file is {file.Length} bytes long, too short for the 8-byte header length that starts a safetensors file");
        }

        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (declared < 2 || declared > SafetensorsLayout.MaxHeaderBytes || declared > (ulong)(file.Length - 8))
        {
            throw Fail(source, $"the header length is {declared} bytes, but it must be between 2 and {Math.Min(SafetensorsLayout.MaxHeaderBytes, file.Length - 8)} for this {file.Length}-byte file");
        }

        int headerLength = (int)declared;
        ReadOnlySpan<byte> header = file.Slice(8, headerLength);
        ReadOnlySpan<byte> data = file[(8 + headerLength)..];
        (Dictionary<string, string> metadata, Dictionary<string, TensorEntry> tensors) = ParseHeader(header, source);

        int size = Marshal.SizeOf<T>();
        CheckMetadataShape(metadata, n, k, SafetensorsLayout.PrecisionName<T>(), source);

        var layout = new ParameterLayout(n, k);
        ParameterTensor[] expected = layout.Tensors;
        var entries = new TensorEntry[expected.Length];
        for (int t = 0; t < expected.Length; t++)
        {
            string name = expected[t].Name;
            if (!tensors.TryGetValue(name, out TensorEntry? entry))
            {
                throw Fail(source, $"tensor '{name}' is missing; an AeGen checkpoint holds {ParameterLayout.TensorNameList}");
            }

            CheckEntry<T>(name, entry, Array.ConvertAll(expected[t].Shape, d => (long)d), $"this {n}×{k} model expects", size, source);
            entries[t] = entry;
        }

        // A trainer's checkpoint also holds the optimizer's buffers, each one value per parameter.
        var buffers = new List<(string Name, TensorEntry Entry)>();
        foreach ((string name, TensorEntry entry) in tensors)
        {
            if (!name.StartsWith(SafetensorsLayout.OptimizerTensorPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            CheckEntry<T>(name, entry, [layout.Count], $"an optimizer's buffer for this {n}×{k} model has", size, source);
            buffers.Add((name[SafetensorsLayout.OptimizerTensorPrefix.Length..], entry));
        }

        // The tensors must tile the data section exactly: no gaps, no overlaps, nothing after the last one.
        long expectedEnd = 0;
        foreach (TensorEntry entry in entries.Concat(buffers.Select(b => b.Entry)).OrderBy(e => e.Begin))
        {
            if (entry.Begin != expectedEnd)
            {
                throw Fail(source, $"the tensor data has a gap or an overlap at byte {Math.Min(entry.Begin, expectedEnd)} of the data section");
            }

            expectedEnd = entry.End;
        }

        if (data.Length != expectedEnd)
        {
            throw Fail(source, $"the data section is {data.Length} bytes long, but the tensors describe {expectedEnd} bytes (is the file truncated or padded?)");
        }

        if (metadata.TryGetValue(SafetensorsLayout.ChecksumKey, out string? checksumText))
        {
            if (!ulong.TryParse(checksumText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong stored) || checksumText.Length != 16)
            {
                throw Fail(source, $"the metadata checksum '{checksumText}' is not 16 hexadecimal digits");
            }

            ulong actual = SafetensorsLayout.Checksum(
                data,
                metadata.GetValueOrDefault(SafetensorsLayout.ScalerKey),
                metadata.GetValueOrDefault(SafetensorsLayout.ScalerShiftKey),
                metadata.GetValueOrDefault(SafetensorsLayout.ScalerDivisorKey));
            if (actual != stored)
            {
                throw Fail(source, $"the tensor data and scaler do not match their checksum (stored {stored:x16}, computed {actual:x16}): the file was changed or damaged");
            }
        }

        var parameters = new T[layout.Count];
        Span<byte> target = MemoryMarshal.AsBytes(parameters.AsSpan());
        int position = 0;
        for (int t = 0; t < entries.Length; t++)
        {
            int bytes = (int)(entries[t].End - entries[t].Begin);
            data.Slice((int)entries[t].Begin, bytes).CopyTo(target.Slice(position, bytes));
            position += bytes;
        }

        SafetensorsLayout.SwapToFileOrder(target, size);

        int bad = FiniteCheck.FirstNonFinite<T>(parameters);
        if (bad >= 0)
        {
            ParameterTensor tensor = Array.FindLast(expected, t => t.Start <= bad);
            throw Fail(source, $"tensor '{tensor.Name}' element {bad - tensor.Start} is {parameters[bad]}; every parameter must be finite");
        }

        optimizer = ReadOptimizer<T>(metadata, buffers, data, layout.Count, size, source);
        return (parameters, ReadScaler(metadata, n, source));
    }

    /// <summary>
    /// Throws unless a tensor's dtype is the model's, its shape <paramref name="shape"/>, and its offsets span exactly the
    /// bytes those need; <paramref name="expects"/> names, for the message, what expects the shape ("this 8×3 model expects").
    /// </summary>
    private static void CheckEntry<T>(string name, TensorEntry entry, long[] shape, string expects, int size, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string dtype = SafetensorsLayout.DType<T>();
        if (entry.DType != dtype)
        {
            throw Fail(source, $"tensor '{name}' has dtype {entry.DType}, but this model computes in {typeof(T).Name} and expects {dtype}");
        }

        if (!entry.Shape.AsSpan().SequenceEqual(shape))
        {
            throw Fail(source, $"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], but {expects} [{string.Join(", ", shape)}]");
        }

        long bytes = size;
        foreach (long dimension in shape)
        {
            bytes *= dimension;
        }

        if (entry.Begin < 0 || entry.End < entry.Begin || entry.End - entry.Begin != bytes)
        {
            throw Fail(source, $"tensor '{name}' has data offsets [{entry.Begin}, {entry.End}], which do not span the {bytes} bytes its shape and dtype need");
        }
    }

    /// <summary>The optimizer's state a trainer saved, or null when the file holds none; its buffers must be finite.</summary>
    private static OptimizerSnapshot<T>? ReadOptimizer<T>(
        Dictionary<string, string> metadata, List<(string Name, TensorEntry Entry)> buffers, ReadOnlySpan<byte> data, int count, int size, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!metadata.TryGetValue(SafetensorsLayout.OptimizerKey, out string? description))
        {
            if (buffers.Count > 0)
            {
                throw Fail(source, $"the file holds optimizer tensors ({string.Join(", ", buffers.Select(b => SafetensorsLayout.OptimizerTensorPrefix + b.Name))}) but no '{SafetensorsLayout.OptimizerKey}' metadata saying whose");
            }

            return null;
        }

        if (!metadata.TryGetValue(SafetensorsLayout.OptimizerStepsKey, out string? stepsText)
            || !long.TryParse(stepsText, NumberStyles.None, CultureInfo.InvariantCulture, out long steps))
        {
            throw Fail(source, $"the metadata '{SafetensorsLayout.OptimizerStepsKey}' must be the optimizer's step count, a whole number, but it is '{stepsText}'");
        }

        string scalarsText = metadata.GetValueOrDefault(SafetensorsLayout.OptimizerScalarsKey) ?? string.Empty;
        string[] parts = scalarsText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double[] scalars = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out scalars[i]) || !double.IsFinite(scalars[i]))
            {
                throw Fail(source, $"the metadata '{SafetensorsLayout.OptimizerScalarsKey}' value {i + 1} (counting from 1), '{parts[i]}', is not a finite number");
            }
        }

        var values = new (string Name, T[] Values)[buffers.Count];
        for (int b = 0; b < buffers.Count; b++)
        {
            var buffer = new T[count];
            Span<byte> target = MemoryMarshal.AsBytes(buffer.AsSpan());
            data.Slice((int)buffers[b].Entry.Begin, target.Length).CopyTo(target);
            SafetensorsLayout.SwapToFileOrder(target, size);
            int bad = FiniteCheck.FirstNonFinite<T>(buffer);
            if (bad >= 0)
            {
                throw Fail(source, $"tensor '{SafetensorsLayout.OptimizerTensorPrefix}{buffers[b].Name}' element {bad} is {buffer[bad]}; an optimizer's buffers must be finite");
            }

            values[b] = (buffers[b].Name, buffer);
        }

        return new OptimizerSnapshot<T>(description, steps, scalars, values);
    }

    private static (Dictionary<string, string> Metadata, Dictionary<string, TensorEntry> Tensors) ParseHeader(ReadOnlySpan<byte> header, string source)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 8 });
            Expect(ref reader, JsonTokenType.StartObject, "the header", source);
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                if (name == SafetensorsLayout.MetadataKey)
                {
                    if (metadata.Count > 0)
                    {
                        throw Fail(source, "the header has two __metadata__ entries");
                    }

                    Expect(ref reader, JsonTokenType.StartObject, "__metadata__", source);
                    while (Next(ref reader) != JsonTokenType.EndObject)
                    {
                        string key = reader.GetString()!;
                        Expect(ref reader, JsonTokenType.String, $"metadata value '{key}'", source);
                        if (!metadata.TryAdd(key, reader.GetString()!))
                        {
                            throw Fail(source, $"the metadata key '{key}' appears twice");
                        }
                    }
                }
                else if (Array.IndexOf(ParameterLayout.TensorNames, name) < 0 && !name.StartsWith(SafetensorsLayout.OptimizerTensorPrefix, StringComparison.Ordinal))
                {
                    throw Fail(source, $"the header describes a tensor '{name}', but an AeGen checkpoint holds only {ParameterLayout.TensorNameList}");
                }
                else if (!tensors.TryAdd(name, ReadTensor(ref reader, name, source)))
                {
                    throw Fail(source, $"tensor '{name}' appears twice in the header");
                }
            }

            // Only whitespace may follow the top-level object; the reader throws on anything else.
            if (reader.Read())
            {
                throw Fail(source, "the header has content after its JSON object");
            }
        }
        catch (JsonException error)
        {
            throw new CheckpointException($"Cannot load checkpoint {source}: the header is not valid JSON ({error.Message}).", error);
        }
        catch (InvalidOperationException error)
        {
            throw new CheckpointException($"Cannot load checkpoint {source}: the header holds text that is not valid UTF-8 ({error.Message}).", error);
        }

        return (metadata, tensors);
    }

    private static TensorEntry ReadTensor(ref Utf8JsonReader reader, string name, string source)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"tensor '{name}'", source);
        string? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            string field = reader.GetString()!;
            switch (field)
            {
                case "dtype" when dtype is null:
                    Expect(ref reader, JsonTokenType.String, $"the dtype of tensor '{name}'", source);
                    dtype = reader.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(ref reader, $"the shape of tensor '{name}'", source);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(ref reader, $"the data offsets of tensor '{name}'", source);
                    break;
                default:
                    throw Fail(source, $"tensor '{name}' has an unexpected or repeated field '{field}'");
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            throw Fail(source, $"tensor '{name}' lacks a dtype, shape or data_offsets field");
        }

        if (offsets.Length != 2)
        {
            throw Fail(source, $"tensor '{name}' has {offsets.Length} data offsets, but safetensors gives exactly two (begin, end)");
        }

        return new TensorEntry(dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(ref Utf8JsonReader reader, string what, string source)
    {
        Expect(ref reader, JsonTokenType.StartArray, what, source);
        var values = new List<long>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0)
            {
                throw Fail(source, $"{what} must be non-negative integers");
            }

            if (values.Count == 8)
            {
                throw Fail(source, $"{what} has more than 8 entries");
            }

            values.Add(value);
        }

        return values.ToArray();
    }

    private static void CheckMetadataShape(Dictionary<string, string> metadata, int n, int k, string precision, string source)
    {
        // Metadata is optional, so that files written by other tools load; what is present must agree with the model.
        if (metadata.TryGetValue(SafetensorsLayout.InputsKey, out string? inputs) && inputs != n.ToString(CultureInfo.InvariantCulture))
        {
            throw Fail(source, $"it was saved from a model with n = {inputs}, but this model has n = {n}");
        }

        if (metadata.TryGetValue(SafetensorsLayout.HiddenKey, out string? hidden) && hidden != k.ToString(CultureInfo.InvariantCulture))
        {
            throw Fail(source, $"it was saved from a model with k = {hidden}, but this model has k = {k}");
        }

        if (metadata.TryGetValue(SafetensorsLayout.PrecisionKey, out string? saved) && saved != precision)
        {
            throw Fail(source, $"it was saved in precision {saved}, but this model computes in {precision}");
        }
    }

    private static FeatureScaler? ReadScaler(Dictionary<string, string> metadata, int n, string source)
    {
        if (!metadata.TryGetValue(SafetensorsLayout.ScalerKey, out string? name))
        {
            return null;
        }

        if (!SafetensorsLayout.TryParseScalerName(name, out ScalerKind kind))
        {
            throw Fail(source, $"the scaler is '{name}', but it must be {SafetensorsLayout.ScalerNameList}");
        }

        if (kind == ScalerKind.None)
        {
            return null;
        }

        double[] shift = ReadDoubles(metadata, SafetensorsLayout.ScalerShiftKey, n, source);
        double[] divisor = ReadDoubles(metadata, SafetensorsLayout.ScalerDivisorKey, n, source);
        try
        {
            return new FeatureScaler(kind, shift, divisor);
        }
        catch (ArgumentException error)
        {
            throw new CheckpointException($"Cannot load checkpoint {source}: the scaler is invalid ({error.Message}).", error);
        }
    }

    private static double[] ReadDoubles(Dictionary<string, string> metadata, string key, int n, string source)
    {
        if (!metadata.TryGetValue(key, out string? text))
        {
            throw Fail(source, $"the scaler's '{key}' metadata is missing");
        }

        string[] parts = text.Split(' ');
        if (parts.Length != n)
        {
            throw Fail(source, $"the scaler's '{key}' has {parts.Length} values, but this model has n = {n}");
        }

        var values = new double[n];
        for (int j = 0; j < n; j++)
        {
            if (!double.TryParse(parts[j], NumberStyles.Float, CultureInfo.InvariantCulture, out values[j]))
            {
                throw Fail(source, $"the scaler's '{key}' value {j} is '{parts[j]}', which is not a number");
            }
        }

        return values;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The header ends inside its JSON object.");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what, string source)
    {
        JsonTokenType found = Next(ref reader);
        if (found != expected)
        {
            throw Fail(source, $"{what} should be a JSON {expected}, but it is a {found}");
        }
    }

    private static CheckpointException Fail(string source, string problem) => new($"Cannot load checkpoint {source}: {problem}.");
}
