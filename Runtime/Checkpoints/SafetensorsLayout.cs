using System;

namespace AeGen;

/// <summary>
/// The checkpoint format: safetensors (an 8-byte little-endian header length N, N bytes of UTF-8 JSON, then raw
/// little-endian tensor data), with the tensors and metadata keys AeGen writes.
/// </summary>
internal static class SafetensorsLayout
{
    /// <summary>Headers beyond this are refused before being read; AeGen's largest (a 2048-column scaler) is far below.</summary>
    public const int MaxHeaderBytes = 16 * 1024 * 1024;

    public const string MetadataKey = "__metadata__";
    public const string InputsKey = "n";
    public const string HiddenKey = "k";
    public const string PrecisionKey = "precision";
    public const string ScalerKey = "scaler";
    public const string ScalerShiftKey = "scaler_shift";
    public const string ScalerDivisorKey = "scaler_divisor";
    public const string VersionKey = "library_version";
    public const string ChecksumKey = "checksum_fnv1a64";

    /// <summary>A trainer's checkpoint: the optimizer's description, its step count and its scalars (round-trip doubles separated by spaces).</summary>
    public const string OptimizerKey = "optimizer";
    public const string OptimizerStepsKey = "optimizer_steps";
    public const string OptimizerScalarsKey = "optimizer_scalars";

    /// <summary>Tensors of the optimizer's per-parameter buffers are named this and the buffer's name ("optimizer.m"); each has shape [parameter count].</summary>
    public const string OptimizerTensorPrefix = "optimizer.";

    /// <summary>The most per-parameter buffers an optimizer of this library keeps (Adam's two moments).</summary>
    public const int MaxOptimizerBuffers = 2;

    /// <summary>
    /// The checksum stored in the metadata: FNV-1a over the tensor data, then over the scaler's three metadata strings
    /// (each followed by a newline, empty when absent), so that a damaged scaler is caught like damaged weights.
    /// </summary>
    public static ulong Checksum(ReadOnlySpan<byte> data, string? scaler, string? shift, string? divisor)
    {
        ulong hash = Fnv1a64.Hash(data);
        foreach (string? text in new[] { scaler, shift, divisor })
        {
            hash = Fnv1a64.Append(hash, System.Text.Encoding.UTF8.GetBytes((text ?? string.Empty) + "\n"));
        }

        return hash;
    }

    /// <summary>
    /// Turns each element's bytes between this machine's order and the file's little-endian one (its own inverse, so
    /// reading and writing share it); nothing to do on a little-endian machine.
    /// </summary>
    public static void SwapToFileOrder(Span<byte> data, int elementSize)
    {
        if (BitConverter.IsLittleEndian)
        {
            return;
        }

        for (int i = 0; i < data.Length; i += elementSize)
        {
            data.Slice(i, elementSize).Reverse();
        }
    }

    /// <summary>safetensors' dtype name for the model's element type.</summary>
    public static string DType<T>() => typeof(T) == typeof(float) ? "F32" : "F64";

    /// <summary>The metadata name of the model's precision.</summary>
    public static string PrecisionName<T>() => typeof(T) == typeof(float) ? "float32" : "float64";

    /// <summary>The scalers' names in the metadata, indexed by <see cref="ScalerKind"/>.</summary>
    private static readonly string[] ScalerNames = ["none", "minmax", "standard"];

    /// <summary>The metadata name of a scaler kind.</summary>
    public static string ScalerName(ScalerKind kind) => ScalerNames[(int)kind];

    /// <summary>The scaler kind a metadata name stands for; false for a name that is none of them.</summary>
    public static bool TryParseScalerName(string name, out ScalerKind kind)
    {
        int index = Array.IndexOf(ScalerNames, name);
        kind = index < 0 ? ScalerKind.None : (ScalerKind)index;
        return index >= 0;
    }

    /// <summary>The scaler names, for messages: "none, minmax or standard".</summary>
    public static string ScalerNameList => string.Join(", ", ScalerNames[..^1]) + " or " + ScalerNames[^1];
}
