using System;
using System.Numerics;
using AeGen.Kernels;

namespace AeGen;

/// <summary>
/// How the larger models (more than <see cref="DenseModelMinimumParameters"/> − 1 parameters) cut their matrix
/// products up on this machine. On first use, each shape times a few register-tile shapes, packings and depth blocks
/// on slices of its own products (tens of milliseconds, once per shape and process) and keeps the fastest; every
/// choice gives the same results to the bit, so the plan changes speed only. Plans can be exported as wisdom and read
/// back, so that a server does not measure again at every start, and one blocking can be forced for every product
/// with the environment variable <c>AEGEN_KERNEL</c> (such as <c>8x2-k256-packed</c>).
/// </summary>
public static class KernelPlans
{
    /// <summary>Models with at least this many parameters use the planned matrix-product kernels; smaller ones are unrolled.</summary>
    public const int DenseModelMinimumParameters = 201;

    /// <summary>The environment variable that forces one blocking for every product of every model.</summary>
    public const string ForceVariable = KernelPlanner.ForceVariable;

    /// <summary>The environment variable naming a wisdom file that is read before the first plan is measured.</summary>
    public const string WisdomVariable = KernelPlanner.WisdomVariable;

    /// <summary>The processor plans are made for, as wisdom names it: its brand string on x86, else its architecture.</summary>
    public static string Machine => KernelPlanner.Machine;

    /// <summary>
    /// Makes the plan for <paramref name="model"/>'s shape now, if this process has none yet (otherwise its first call
    /// would), and describes it: the blocking of each kind of product, and how long measuring took.
    /// </summary>
    /// <returns>For example "float 784x64 at 512 bits: encoder 8x2-kall, decoder 12x2-kall, … (measured in 21.4 ms)", or a
    /// sentence saying that the model is small enough to be unrolled and has no plan.</returns>
    public static string Plan<T>(IAutoencoder<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        var layout = new ParameterLayout(model.Inputs, model.Hidden);
        if (model.ParameterCount < DenseModelMinimumParameters)
        {
            return $"{Precision<T>()} {model.Inputs}x{model.Hidden}: {model.ParameterCount} parameters, unrolled; no plan is needed.";
        }

        KernelPlan plan = KernelPlanner.PlanFor(layout, ref model.Parameters[0]);
        string[] kinds = Enum.GetNames<ProductKind>();
        var parts = new string[kinds.Length];
        for (int i = 0; i < kinds.Length; i++)
        {
            parts[i] = char.ToLowerInvariant(kinds[i][0]) + kinds[i][1..] + " " + plan[(ProductKind)i];
        }

        double? milliseconds = KernelPlanner.MeasuredIn<T>(layout);
        string source = KernelPlanner.Forced is not null ? "forced by " + ForceVariable
            : milliseconds is double ms ? FormattableString.Invariant($"measured in {ms:F1} ms")
            : "from wisdom";
        return $"{Precision<T>()} {model.Inputs}x{model.Hidden} at {VectorBits} bits: {string.Join(", ", parts)} ({source})";
    }

    /// <summary>Every plan this process has made or read, as text for <see cref="ImportWisdom"/>; each line names the processor it was measured on.</summary>
    public static string ExportWisdom() => KernelPlanner.ExportWisdom();

    /// <summary>
    /// Takes the plans in <paramref name="wisdom"/> (from <see cref="ExportWisdom"/>) that were measured on this
    /// processor at this vector width, so that those shapes are not measured again; others are skipped.
    /// </summary>
    /// <returns>How many plans were taken.</returns>
    /// <exception cref="FormatException">A line is not a plan; nothing is taken.</exception>
    public static int ImportWisdom(string wisdom)
    {
        ArgumentNullException.ThrowIfNull(wisdom);
        return KernelPlanner.ImportWisdom(wisdom);
    }

    private static int VectorBits => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 512
        : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 256 : 128;

    private static string Precision<T>() => typeof(T) == typeof(float) ? "float" : "double";
}
