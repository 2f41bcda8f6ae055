using System;
using AeGen.Benchmarks.Engines;

namespace AeGen.Benchmarks;

/// <summary>
/// Checks that every engine computes the same network as AeGen: outputs, cost and gradient at the starting point,
/// so that the timings compare the same work. Run by CI (<c>dotnet run -c Release -- verify</c>).
/// </summary>
public static class Agreement
{
    public static (int Passed, int Failed) Verify(bool includeTorch)
    {
        int passed = 0, failed = 0;
        foreach (Workload workload in Workload.All)
        {
            float[] x = workload.Data();
            using Engine reference = workload.Create("AeGen");
            var expectedOutput = new float[x.Length];
            var expectedGradient = new float[new ParameterLayout(workload.Inputs, workload.Hidden).Count];
            reference.Forward(x, expectedOutput);
            float expectedCost = reference.Gradient(x, expectedGradient);

            foreach (string name in includeTorch ? new[] { "Loops", "TensorPrimitives", "MathNet", "TorchSharp" } : ["Loops", "TensorPrimitives", "MathNet"])
            {
                using Engine engine = workload.Create(name);
                var output = new float[x.Length];
                var gradient = new float[expectedGradient.Length];
                engine.Forward(x, output);
                float cost = engine.Gradient(x, gradient);
                string? problem = Compare("x̂", expectedOutput, output) ?? Compare("gradient", expectedGradient, gradient)
                    ?? (Math.Abs(cost - expectedCost) <= 1e-4 * Math.Max(1, expectedCost) ? null : $"cost {cost} vs {expectedCost}");
                if (problem is null)
                {
                    passed++;
                    Console.WriteLine($"agree    {workload.Name,-12} {name}");
                }
                else
                {
                    failed++;
                    Console.WriteLine($"DISAGREE {workload.Name,-12} {name}: {problem}");
                }
            }
            // Inference-only engines: the reconstruction alone.
            using Engine onnx = workload.Create("OnnxRuntime");
            var onnxOutput = new float[x.Length];
            onnx.Forward(x, onnxOutput);
            if (Compare("x̂", expectedOutput, onnxOutput) is { } disagreement)
            {
                failed++;
                Console.WriteLine($"DISAGREE {workload.Name,-12} OnnxRuntime (Forward): {disagreement}");
            }
            else
            {
                passed++;
                Console.WriteLine($"agree    {workload.Name,-12} OnnxRuntime (Forward)");
            }
        }

        return (passed, failed);
    }

    private static string? Compare(string what, float[] expected, float[] actual)
    {
        float scale = 0;
        foreach (float e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= 1e-4f * Math.Max(scale, 1e-3f)))
            {
                return $"{what}[{i}] = {actual[i]:R}, AeGen {expected[i]:R}";
            }
        }

        return null;
    }
}
