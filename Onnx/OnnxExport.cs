using System;
using System.IO;
using System.Numerics;

namespace AeGen.Onnx;

/// <summary>
/// Exports a model to ONNX, so that ONNX Runtime (from C#, Python, JavaScript or C++), Triton's ONNX Runtime backend,
/// Spark or a browser can run it. The file has one input and three outputs, all with a dynamic batch dimension:
/// <list type="bullet">
/// <item><c>x</c> [batch, n]: raw rows, in the caller's units;</item>
/// <item><c>xhat</c> [batch, n]: the reconstruction, in the caller's units, as <c>model.Reconstruct</c> gives it;</item>
/// <item><c>code</c> [batch, k]: the bottleneck H1 of the (scaled) rows, as <c>model.Encode</c> gives it;</item>
/// <item><c>score</c> [batch]: each row's anomaly score, as <c>model.Score</c> gives it.</item>
/// </list>
/// The model's scaler is part of the graph. Opset 17, IR version 8; the elements are the model's precision (float or
/// double). The model's shape, precision, scaler, tensors and the library's version are in the metadata.
/// </summary>
public static class OnnxExport
{
    /// <summary>Writes the model to <paramref name="path"/> as an ONNX file, atomically: a crash leaves the old file or the new one.</summary>
    /// <exception cref="ArgumentException">A parameter of the model is not finite (nothing is written), or the path is empty.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    public static void ExportOnnx<T>(this IAutoencoder<T> model, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, AutoencoderGraph.Build(model));
    }

    /// <summary>Writes the model to <paramref name="stream"/> as an ONNX model.</summary>
    /// <exception cref="ArgumentException">A parameter of the model is not finite; nothing is written.</exception>
    public static void ExportOnnx<T>(this IAutoencoder<T> model, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(AutoencoderGraph.Build(model));
    }

    /// <summary>The model as the bytes of an ONNX model, for an engine that takes them from memory.</summary>
    /// <exception cref="ArgumentException">A parameter of the model is not finite.</exception>
    public static byte[] ToOnnx<T>(this IAutoencoder<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return AutoencoderGraph.Build(model);
    }
}
