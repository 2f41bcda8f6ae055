using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using AeGen.Kernels;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Numerics;

/// <summary>
/// Every way the planner may cut up a dense model's products gives the same bits, on every entry point, at every row
/// count (whole tiles, partial tiles, more rows than one chunk) and on two threads, so whatever plan a machine picks,
/// the results are those the gradient and reference tests check. CI runs this at 512 and 256 bits and without AVX.
/// </summary>
[Collection(KernelPlanCollection.Name)]
public sealed class KernelVariantTests : IDisposable
{
    /// <summary>Every blocking the planner can choose, and (unless <paramref name="shallow"/> is false) depth blocks shallow enough to cut even the smallest products.</summary>
    internal static IEnumerable<Blocking> AllBlockings(bool shallow = true) =>
        from rows in Blocking.TileRowChoices
        from depth in shallow ? new[] { 0, 256, 8 } : new[] { 0, 256 }
        from pack in new[] { false, true }
        from packA in new[] { false, true }
        select new Blocking(rows, depth, pack, packA);

    public void Dispose() => KernelPlanner.Reset();

    /// <remarks>
    /// D100x10 has 100 columns: 13 or 7 panels (the last of one vector at 256 bits), so the packing of panels in groups
    /// (<see cref="Blocking.PackGroup"/>) ends on a partial group, as it does where two threads split the panels.
    /// </remarks>
    public static TheoryData<string> Models => new() { "F64x16", "F130x20", "F1024x256", "D16x20", "D130x20", "D64x16", "D100x10" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_blocking_and_thread_count_gives_the_same_bits(string name)
    {
        switch (name)
        {
            case "F64x16": Check(new F64x16()); break;
            case "F130x20": Check(new F130x20()); break;
            // The large model without the 8-deep blocks, which the smaller models cut their products with already: it
            // is here for depths beyond one block and rows of A 4 KB apart, and it runs emulated on ARM64 in CI.
            case "F1024x256": Check(new F1024x256(), rowCounts: [1, 13, 37], shallow: false); break;
            case "D16x20": Check(new D16x20()); break;
            case "D130x20": Check(new D130x20()); break;
            case "D100x10": Check(new D100x10()); break;
            default: Check(new D64x16()); break;
        }
    }

    [Fact]
    public void A_plan_that_cuts_each_kind_of_product_differently_gives_the_same_bits()
    {
        IAutoencoder<double> model = new D130x20();
        TestData.Perturb(model.Parameters, 5, amplitude: 0.2);
        var layout = new ParameterLayout(model.Inputs, model.Hidden);
        double[] x = TestData.Rows<double>(45, model.Inputs, 12);
        KernelPlanner.Use<double>(layout, KernelPlan.Uniform(new Blocking(8, 0, false)));
        Outputs<double> expected = Outputs<double>.Of(model, x, threads: 1);
        KernelPlanner.Use<double>(layout, KernelPlan.Parse("4x2-k8-packed 12x2-kall-atiles 6x2-k256-packed-atiles 8x2-k8 12x2-kall-packed 4x2-k8-atiles"));
        Outputs<double>.Of(model, x, threads: 2).AssertSameAs(expected, "mixed plan");
    }

    [Fact]
    public void The_double_kernels_compute_the_reference_network()
    {
        IAutoencoder<double> model = new D130x20();
        TestData.Perturb(model.Parameters, 6, amplitude: 0.2);
        double[] x = TestData.Rows<double>(300, model.Inputs, 13);
        var layout = new ParameterLayout(model.Inputs, model.Hidden);
        foreach (Blocking blocking in new[] { new Blocking(4, 8, true), new Blocking(12, 0, false), new Blocking(6, 8, true, PackA: true) })
        {
            KernelPlanner.Use<double>(layout, KernelPlan.Uniform(blocking));
            Outputs<double> outputs = Outputs<double>.Of(model, x, threads: 1);
            double[] xhat = ReferenceNetwork.Forward(model.Parameters, x, model.Inputs, model.Hidden);
            double[] code = ReferenceNetwork.Encode(model.Parameters, x, model.Inputs, model.Hidden);
            for (int i = 0; i < xhat.Length; i++)
            {
                Assert.True(Math.Abs(xhat[i] - outputs.Forward[i]) <= 1e-12, $"{blocking}: x̂[{i}] = {outputs.Forward[i]:R}, reference {xhat[i]:R}.");
            }

            for (int i = 0; i < code.Length; i++)
            {
                Assert.True(Math.Abs(code[i] - outputs.Encode[i]) <= 1e-13, $"{blocking}: h1[{i}] = {outputs.Encode[i]:R}, reference {code[i]:R}.");
            }

            double cost = ReferenceNetwork.Cost(model.Parameters, x, model.Inputs, model.Hidden);
            Assert.True(Math.Abs(cost - outputs.Cost) <= 1e-12 * cost, $"{blocking}: S = {outputs.Cost:R}, reference {cost:R}.");
            Assert.Equal(outputs.Cost, outputs.BackwardCost);
        }
    }

    private static void Check<T>(IAutoencoder<T> model, int[]? rowCounts = null, bool shallow = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TestData.Perturb(model.Parameters, 4, amplitude: 0.2);
        var layout = new ParameterLayout(model.Inputs, model.Hidden);
        foreach (int m in rowCounts ?? [1, 7, 37, 300])
        {
            T[] x = TestData.Rows<T>(m, model.Inputs, (ulong)m);
            Outputs<T>? expected = null;
            foreach (Blocking blocking in AllBlockings(shallow))
            {
                KernelPlanner.Use<T>(layout, KernelPlan.Uniform(blocking));
                Outputs<T> outputs = Outputs<T>.Of(model, x, threads: 1);
                if (expected is null)
                {
                    expected = outputs;
                    continue;
                }

                outputs.AssertSameAs(expected, $"{blocking}, m = {m}");
                Outputs<T>.Of(model, x, threads: 2).AssertSameAs(expected, $"{blocking} on two threads, m = {m}");
            }
        }
    }

    /// <summary>What every entry point returns for one input.</summary>
    private sealed record Outputs<T>(T[] Forward, T[] Encode, T[] Decode, T Cost, T[] Gradient, T BackwardCost)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Outputs<T> Of(IAutoencoder<T> model, T[] x, int threads)
        {
            int m = x.Length / model.Inputs;
            var xhat = new T[x.Length];
            var code = new T[m * model.Hidden];
            var decoded = new T[x.Length];
            var gradient = new T[model.ParameterCount];
            model.Forward(x, xhat);
            model.Encode(x, code);
            model.Decode(code, decoded);
            T cost = model.Cost(x);
            // Whatever the gradient held before is overwritten, never added to: the first chunk's sums start it.
            Array.Fill(gradient, T.NaN);
            T backwardCost = model.Backward(x, gradient, threads);
            return new Outputs<T>(xhat, code, decoded, cost, gradient, backwardCost);
        }

        public void AssertSameAs(Outputs<T> expected, string what)
        {
            Same(expected.Forward, Forward, "Forward", what);
            Same(expected.Encode, Encode, "Encode", what);
            Same(expected.Decode, Decode, "Decode", what);
            Same([expected.Cost], [Cost], "Cost", what);
            Same(expected.Gradient, Gradient, "Backward's gradient", what);
            Assert.DoesNotContain(Gradient, T.IsNaN);
            Same([expected.BackwardCost], [BackwardCost], "Backward's cost", what);
        }

        private static void Same(T[] expected, T[] actual, string output, string what)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                // Compared as bits: the claim is identity, not closeness.
                if (BitConverter.DoubleToInt64Bits(double.CreateTruncating(expected[i])) != BitConverter.DoubleToInt64Bits(double.CreateTruncating(actual[i])))
                {
                    Assert.Fail($"{output}[{i}] differs with {what}: {actual[i]} instead of {expected[i]}.");
                }
            }
        }
    }
}

/// <summary>Tests that replace or forget the process's kernel plans run alone, so no other test sees a plan half set.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelPlanCollection
{
    public const string Name = "Kernel plans";
}
