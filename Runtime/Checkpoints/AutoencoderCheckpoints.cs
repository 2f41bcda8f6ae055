using System;
using System.IO;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Saving and loading models as safetensors files: tensors w1 (n×k), b1 (k), w2 (k×n), b2 (n), w3 (n×n), b3 (n) in the
/// model's precision (F32 or F64), and string metadata n, k, precision, scaler (with its per-column values),
/// library_version and checksum_fnv1a64 (a hash of the tensor data and the scaler).
/// </summary>
public static class AutoencoderCheckpoints
{
    /// <summary>
    /// Writes the parameters and the model's <see cref="IAutoencoder{T}.Scaler"/> to <paramref name="path"/>. The file is replaced atomically: a
    /// crash leaves either the previous file or the complete new one, never a mixture.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written; any previous file is untouched.</exception>
    public static void Save<T>(this IAutoencoder<T> model, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, SafetensorsWriter.Write(model));
    }

    /// <summary>
    /// Replaces the model's parameters and scaler with those in <paramref name="path"/>. The whole file is checked first
    /// (header length, JSON, tensor names, dtypes, shapes against this model's n and k, offsets, data length, checksum,
    /// finite values, scaler), so on failure the model is exactly as it was.
    /// </summary>
    /// <exception cref="CheckpointException">The file is corrupted, truncated, or for another shape or precision; the message says which.</exception>
    /// <exception cref="IOException">The file cannot be read (for example <see cref="FileNotFoundException"/>).</exception>
    public static void Load<T>(this IAutoencoder<T> model, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] file = ReadFile(model, path);
        (T[] parameters, FeatureScaler? scaler) = SafetensorsReader.Read<T>(file, model.Inputs, model.Hidden, $"'{path}'");
        parameters.CopyTo(model.Parameters);
        model.Scaler = scaler;
    }

    /// <summary>The file's bytes, refusing a file too large to be this model's checkpoint before reading it.</summary>
    internal static byte[] ReadFile<T>(IAutoencoder<T> model, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] file;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            // Refuse a file too large to be this model's checkpoint before reading it.
            // (A trainer's checkpoint holds the optimizer's buffers, one value per parameter each, after the parameters.)
            long largest = 8L + SafetensorsLayout.MaxHeaderBytes
                + ((long)model.ParameterCount * System.Runtime.InteropServices.Marshal.SizeOf<T>() * (1 + SafetensorsLayout.MaxOptimizerBuffers));
            if (stream.Length > largest)
            {
                throw new CheckpointException($"Cannot load checkpoint '{path}': the file is {stream.Length} bytes long, more than the {largest} bytes a checkpoint of this {model.Inputs}×{model.Hidden} model can take.");
            }

            file = new byte[stream.Length];
            stream.ReadExactly(file);
        }

        return file;
    }
}
