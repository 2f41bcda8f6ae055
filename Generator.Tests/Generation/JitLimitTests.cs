using System;
using System.Linq;
using System.Reflection;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Generation;

/// <summary>
/// The JIT compiles a method without optimization (MinOpts) when its IL passes any of these bounds: 60,000 bytes,
/// 20,000 instructions, 2,000 basic blocks, 2,000 locals or 8,000 local references (DEFAULT_MIN_OPTS_* in the
/// JIT's compiler.h). Checked on compiled models at the edges of both kernel styles.
/// </summary>
public class JitLimitTests
{
    [Theory]
    [InlineData(typeof(F1x65))]         // the largest unrolled shapes
    [InlineData(typeof(F8x7))]
    [InlineData(typeof(F4x4))]          // a packed-row one
    [InlineData(typeof(F16x3))]         // the smallest dense shapes
    [InlineData(typeof(F1024x256))]
    [InlineData(typeof(D2048x2048))]    // the largest supported shape
    public void No_generated_method_exceeds_the_limits_of_optimized_compilation(Type model)
    {
        const BindingFlags All = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        // Unrolled models keep their kernels in a kernel class, the packed-row ones in a class nested in it.
        Type[] kernels = GeneratedKernels.Of(model) is { } type ? [type, .. type.GetNestedTypes(BindingFlags.NonPublic)] : [];
        MethodInfo[] methods = [.. model.GetMethods(All), .. kernels.SelectMany(type => type.GetMethods(All))];
        Assert.Contains(methods, m => m.Name == "BackwardCore");
        foreach (MethodInfo method in methods)
        {
            ILStatistics il = ILStatistics.Of(method);
            string where = $"{method.DeclaringType!.Name}.{method.Name}: {il}";
            Assert.True(il.Bytes < 60_000, where);
            Assert.True(il.Instructions < 20_000, where);
            Assert.True(il.BasicBlocks < 2_000, where);
            Assert.True(il.Locals < 2_000, where);
            Assert.True(il.LocalReferences < 8_000, where);
        }
    }

    [Fact]
    public void No_runtime_kernel_exceeds_the_limits_of_optimized_compilation()
    {
        // Dense models run the runtime's kernels; the register tile is written for twelve rows and compiled per count,
        // and the JIT imports all of its IL whatever the count, so it is the one to watch. Small models run the lane
        // kernels, whose blocks are written for eight units and compiled per count in the same way.
        const BindingFlags All = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        Type[] kernels = typeof(IAutoencoder<>).Assembly.GetTypes()
            .Where(t => t.Namespace == "AeGen.Kernels" || t.Name.StartsWith("LaneKernels", StringComparison.Ordinal) || t.Name.StartsWith("LaneBlocks", StringComparison.Ordinal))
            .ToArray();
        Assert.Contains(kernels, t => t.Name == "RegisterTile");
        Assert.Contains(kernels, t => t.Name == "LaneBlocks`2");
        foreach (MethodInfo method in kernels.SelectMany(t => t.GetMethods(All)).Where(m => m.GetMethodBody() is not null))
        {
            ILStatistics il = ILStatistics.Of(method);
            string where = $"{method.DeclaringType!.Name}.{method.Name}: {il}";
            Assert.True(il.Bytes < 60_000 && il.Instructions < 20_000 && il.BasicBlocks < 2_000 && il.Locals < 2_000 && il.LocalReferences < 8_000, where);
        }
    }

    [Fact]
    public void The_statistics_see_the_size_of_unrolled_code()
    {
        // The packed-row Backward of a 4×4 model is written out for its shape: a local per gradient accumulator.
        Type packed = GeneratedKernels.Of(typeof(F4x4))!.GetNestedType("Packed512", BindingFlags.NonPublic)!;
        ILStatistics backward = ILStatistics.Of(packed.GetMethod("Backward", BindingFlags.Static | BindingFlags.Public)!);
        Assert.True(backward.Locals > 15, $"The packed kernel keeps each of 15 gradient accumulators in a local: {backward}.");
        Assert.True(backward.LocalReferences > 150, backward.ToString());
        Assert.True(backward.BasicBlocks >= 3, backward.ToString());
    }
}
