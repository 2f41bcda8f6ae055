using System;
using System.Linq;
using System.Reflection;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>
/// The runtime's parameter layout is the one statement of where each tensor sits; the generator, which cannot
/// reference the runtime, writes the same offsets into every model as constants. Both are checked here: the
/// constants of every test model (every kind of kernel, both precisions) against the layout, and the layout's
/// tensors against each other.
/// </summary>
public class ParameterLayoutTests
{
    [Fact]
    public void Every_generated_model_has_the_offsets_of_the_runtime_layout()
    {
        Type[] models = [.. typeof(F2x2).Assembly.GetTypes().Where(t => t.Namespace == typeof(F2x2).Namespace && t.GetField("W1Offset") is not null)];
        Assert.True(models.Length >= 15, $"only {models.Length} test models found");
        foreach (Type model in models)
        {
            int Constant(string name) => (int)model.GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
            var layout = new ParameterLayout(Constant("Inputs"), Constant("Hidden"));
            int[] generated = [Constant("W1Offset"), Constant("B1Offset"), Constant("W2Offset"), Constant("B2Offset"), Constant("W3Offset"), Constant("B3Offset"), Constant("ParameterCount")];
            int[] runtime = [layout.W1, layout.B1, layout.W2, layout.B2, layout.W3, layout.B3, layout.Count];
            Assert.True(generated.SequenceEqual(runtime), $"{model.Name}: generated [{string.Join(", ", generated)}], layout [{string.Join(", ", runtime)}]");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 3)]
    [InlineData(784, 64)]
    [InlineData(3, 7)]
    public void The_tensors_follow_each_other_and_fill_the_parameters(int n, int k)
    {
        var layout = new ParameterLayout(n, k);
        ParameterTensor[] tensors = layout.Tensors;
        Assert.Equal(ParameterLayout.TensorNames, tensors.Select(t => t.Name));
        Assert.Equal(new[] { n * k, k, k * n, n, n * n, n }, tensors.Select(t => t.Length));
        int next = 0;
        foreach (ParameterTensor tensor in tensors)
        {
            Assert.Equal(next, tensor.Start);
            next += tensor.Length;
        }

        Assert.Equal(layout.Count, next);
        Assert.Equal(new[] { n, k }, tensors[0].Shape);
        Assert.Equal(new[] { k, n }, tensors[2].Shape);
        Assert.Equal(new[] { n, n }, tensors[4].Shape);
    }
}
