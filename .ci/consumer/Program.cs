// A fresh project that knows AeGen only through its NuGet packages: the generator must run from
// analyzers/dotnet/cs, the runtime must come from lib/net10.0, AeGen.Onnx's export must load in ONNX Runtime, and
// AeGen.Parquet's scores must read back.
using System;
using System.IO;
using AeGen;
using AeGen.Onnx;
using AeGen.Parquet;
using Microsoft.ML.OnnxRuntime;

var model = new PackagedModel();
var x = new float[4 * PackagedModel.Inputs];
for (int i = 0; i < x.Length; i++)
{
    x[i] = (i % 7) / 7f;
}

var gradient = new float[PackagedModel.ParameterCount];
float first = model.Backward(x, gradient);
float cost = first;
for (int step = 0; step < 100; step++)
{
    Span<float> parameters = model.Parameters;
    for (int i = 0; i < parameters.Length; i++)
    {
        parameters[i] -= 0.5f * gradient[i];
    }

    cost = model.Backward(x, gradient);
}

Console.WriteLine($"consumer: {PackagedModel.Inputs}x{PackagedModel.Hidden} model from the package, cost {first:F5} -> {cost:F5}");

// The model exported by AeGen.Onnx and run by ONNX Runtime gives the scores the model gives.
string path = Path.Combine(Path.GetTempPath(), $"consumer-{Environment.ProcessId}.onnx");
model.ExportOnnx(path);
float[] expected = model.Score(x);
using var session = new InferenceSession(path);
using OrtValue input = OrtValue.CreateTensorValueFromMemory(x, [4, PackagedModel.Inputs]);
using var run = new RunOptions();
using var outputs = session.Run(run, ["x"], [input], ["score"]);
ReadOnlySpan<float> scores = outputs[0].GetTensorDataAsSpan<float>();
File.Delete(path);
double worst = 0;
for (int i = 0; i < expected.Length; i++)
{
    worst = Math.Max(worst, Math.Abs(scores[i] - expected[i]) / Math.Max(1e-3, Math.Abs(expected[i])));
}

Console.WriteLine($"consumer: exported with AeGen.Onnx, ONNX Runtime scores 4 rows within {worst:E1} of model.Score");

// The scores written by AeGen.Parquet read back to the bit.
string scoresPath = Path.Combine(Path.GetTempPath(), $"consumer-{Environment.ProcessId}.parquet");
ParquetRows.WriteColumn<float>(scoresPath, expected);
float[] back = ParquetRows.Read<float>(scoresPath).Values.ToArray();
File.Delete(scoresPath);
bool same = back.AsSpan().SequenceEqual(expected);
Console.WriteLine($"consumer: {back.Length} scores written as Parquet by AeGen.Parquet read back {(same ? "to the bit" : "changed")}");
return cost < first && worst < 1e-5 && same ? 0 : 1;

[Autoencoder(12, 4)]
internal sealed partial class PackagedModel;
