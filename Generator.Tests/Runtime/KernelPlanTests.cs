using System;
using System.Linq;
using AeGen.Generator.Emission;
using AeGen.Kernels;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>The planner: what it chooses from, what it says, and wisdom saved and read back.</summary>
[Collection(KernelPlanCollection.Name)]
public sealed class KernelPlanTests : IDisposable
{
    public KernelPlanTests() => KernelPlanner.Reset();

    public void Dispose() => KernelPlanner.Reset();

    [Fact]
    public void A_dense_model_is_planned_once_from_the_candidates_and_an_unrolled_one_needs_no_plan()
    {
        var model = new F130x20();
        string first = KernelPlans.Plan(model);
        Assert.StartsWith("float 130x20 at ", first, StringComparison.Ordinal);
        Assert.Contains("measured in", first, StringComparison.Ordinal);
        Assert.Equal(first, KernelPlans.Plan(new F130x20(seed: 5)));

        KernelPlan plan = KernelPlanner.Known<float>(new ParameterLayout(130, 20))!;
        foreach (ProductKind kind in Enum.GetValues<ProductKind>())
        {
            Blocking blocking = plan[kind];
            Assert.Contains(blocking.TileRows, Blocking.TileRowChoices);
            Assert.Contains(blocking.DepthBlock, new[] { 0, 256 });
            Assert.Contains(char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..] + " " + blocking, first, StringComparison.Ordinal);
        }

        Assert.Contains("unrolled; no plan is needed", KernelPlans.Plan(new F8x3()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_dense_threshold_is_the_generators()
    {
        Assert.Equal(ModelEmitter.UnrollLimit + 1, KernelPlans.DenseModelMinimumParameters);
        Assert.True(F8x3.ParameterCount < KernelPlans.DenseModelMinimumParameters);
        Assert.True(F64x16.ParameterCount >= KernelPlans.DenseModelMinimumParameters);
    }

    [Fact]
    public void Wisdom_read_back_gives_the_same_plans_without_measuring()
    {
        KernelPlans.Plan(new F130x20());
        KernelPlans.Plan(new D130x20());
        string wisdom = KernelPlans.ExportWisdom();
        string[] lines = wisdom.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.StartsWith(KernelPlanner.Machine + " | ", l, StringComparison.Ordinal));
        KernelPlan floatPlan = KernelPlanner.Known<float>(new ParameterLayout(130, 20))!;

        KernelPlanner.Reset();
        Assert.Equal(2, KernelPlans.ImportWisdom(wisdom));
        Assert.Equal(floatPlan.ToString(), KernelPlanner.Known<float>(new ParameterLayout(130, 20))!.ToString());
        Assert.EndsWith("(from wisdom)", KernelPlans.Plan(new F130x20()), StringComparison.Ordinal);
        Assert.Equal(wisdom, KernelPlans.ExportWisdom());
    }

    [Fact]
    public void Wisdom_of_another_machine_or_vector_width_is_skipped()
    {
        KernelPlans.Plan(new F130x20());
        string line = KernelPlans.ExportWisdom().Split('\n').Single(l => l.Contains("130x20", StringComparison.Ordinal));
        string otherMachine = "Some Other CPU" + line[KernelPlanner.Machine.Length..];
        int bits = int.Parse(line.Split(" | ")[1].Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        string otherWidth = line.Replace(" " + bits + " | ", " " + (bits == 128 ? 256 : 128) + " | ", StringComparison.Ordinal);

        KernelPlanner.Reset();
        Assert.Equal(0, KernelPlans.ImportWisdom(otherMachine + "\n" + otherWidth));
        Assert.Null(KernelPlanner.Known<float>(new ParameterLayout(130, 20)));
    }

    [Fact]
    public void Malformed_wisdom_names_its_line_and_takes_nothing()
    {
        string good = $"{KernelPlanner.Machine} | float 130x20 {VectorBits()} | 8x2-kall 8x2-kall 8x2-kall 8x2-kall 8x2-kall 8x2-kall";
        var shape = Assert.Throws<FormatException>(() => KernelPlans.ImportWisdom(good + "\n" + $"{KernelPlanner.Machine} | float 64 512 | 8x2-kall"));
        Assert.Contains("Wisdom line 2", shape.Message, StringComparison.Ordinal);
        Assert.Contains("a shape such as 784x64", shape.Message, StringComparison.Ordinal);
        var count = Assert.Throws<FormatException>(() => KernelPlans.ImportWisdom($"# note\n{KernelPlanner.Machine} | float 64x16 512 | 8x2-kall 8x2-kall"));
        Assert.Contains("Wisdom line 2", count.Message, StringComparison.Ordinal);
        Assert.Contains("has 2", count.Message, StringComparison.Ordinal);
        var fields = Assert.Throws<FormatException>(() => KernelPlans.ImportWisdom("no fields here"));
        Assert.Contains("Wisdom line 1 is not 'CPU | precision, shape and vector bits | blockings'", fields.Message, StringComparison.Ordinal);
        Assert.Null(KernelPlanner.Known<float>(new ParameterLayout(130, 20)));
    }

    [Fact]
    public void Blockings_read_back_what_they_write_and_bad_ones_say_what_a_blocking_is()
    {
        foreach (Blocking blocking in KernelVariantTests.AllBlockings())
        {
            Assert.Equal(blocking, Blocking.Parse(blocking.ToString()));
        }

        Assert.Contains("the tile rows (4, 6, 8 or 12)", Assert.Throws<FormatException>(() => Blocking.Parse("9x2-kall")).Message, StringComparison.Ordinal);
        Assert.Contains("must be 'kall' or 'k' and a positive whole number", Assert.Throws<FormatException>(() => Blocking.Parse("8x2-k0")).Message, StringComparison.Ordinal);
        Assert.Contains("as in 8x2-k256-packed", Assert.Throws<FormatException>(() => Blocking.Parse("8x2-kall-twice")).Message, StringComparison.Ordinal);
        Assert.Equal(new Blocking(8, 256, true, PackA: true), Blocking.Parse("8x2-k256-packed-atiles"));
        Assert.Equal(new Blocking(12, 0, false, PackA: true), Blocking.Parse("12x2-kall-atiles"));
        foreach (string misordered in new[] { "8x2-kall-atiles-packed", "8x2-kall-packed-packed", "8x2-kall-atiles-atiles", "8x2-kall-packed-atiles-x" })
        {
            Assert.Contains("optionally '-packed' and '-atiles'", Assert.Throws<FormatException>(() => Blocking.Parse(misordered)).Message, StringComparison.Ordinal);
        }

        var forced = Assert.Throws<FormatException>(() => KernelPlanner.ReadForced("fast"));
        Assert.Contains("AEGEN_KERNEL = 'fast' is not a kernel blocking", forced.Message, StringComparison.Ordinal);
        Assert.Null(KernelPlanner.ReadForced(""));
    }

    [Fact]
    public void A_forced_blocking_is_every_products_blocking()
    {
        Blocking? before = KernelPlanner.Forced;
        try
        {
            KernelPlanner.Forced = new Blocking(6, 256, true);
            string plan = KernelPlans.Plan(new F130x20());
            Assert.EndsWith("(forced by AEGEN_KERNEL)", plan, StringComparison.Ordinal);
            Assert.Equal(Enum.GetValues<ProductKind>().Length, plan.Split("6x2-k256-packed").Length - 1);
        }
        finally
        {
            KernelPlanner.Forced = before;
        }
    }

    private static int VectorBits() => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 512 : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 256 : 128;
}
