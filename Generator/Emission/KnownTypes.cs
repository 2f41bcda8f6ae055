namespace AeGen.Generator.Emission;

/// <summary>
/// The names generated code refers to, spelled once. The model's own partial class sits in the user's namespace, next
/// to whatever types the user declares there, so it spells every name in full. The kernels sit in a file-local class
/// in <see cref="KernelScope.Namespace"/>, under <see cref="KernelScope.Usings"/>, where short names are safe.
/// </summary>
internal static class KnownTypes
{
    public const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    public const string ShapeGuard = "global::AeGen.Internals.ShapeGuard";
    public const string DenseKernels = "global::AeGen.Internals.DenseKernels";
    public const string FeatureScaler = "global::AeGen.FeatureScaler";
    public const string Autoencoder = "global::AeGen.IAutoencoder";

    /// <summary>
    /// Names as the kernels spell them. Directives inside a namespace declaration are searched before any enclosing
    /// namespace, so a type the user declares in the global namespace (an <c>Unsafe</c> of their own, say) cannot
    /// shadow them; and nobody else declares types in <see cref="Namespace"/>.
    /// </summary>
    public static class KernelScope
    {
        public const string Namespace = "AeGen.Generated";

        public static readonly string[] Usings =
        [
            "using System;",
            "using System.Runtime.CompilerServices;",
            "using System.Runtime.InteropServices;",
            "using System.Runtime.Intrinsics;",
            "using AeGen.Internals;",
            "using static AeGen.Internals.Activation;",
            "using static AeGen.Internals.Lanes;",
        ];

        public const string Unsafe = "Unsafe";
        public const string Marshal = "MemoryMarshal";
        public const string Math = "Math";
        public const string Vector256 = "Vector256";
        public const string Vector512 = "Vector512";

        /// <summary><c>Activation.Sigmoid</c>, imported.</summary>
        public const string Sigmoid = "Sigmoid";

        /// <summary><c>Activation.SigmoidGradient</c>, imported: h(1 − h)·e, tiny results flushed to zero.</summary>
        public const string SigmoidGradient = "SigmoidGradient";

        /// <summary><c>Lanes.Fma</c>, imported: a·b + c, fused.</summary>
        public const string Fma = "Fma";

        /// <summary><c>Lanes.RepeatPair</c>, imported: two floats repeated across a <c>Vector512</c>.</summary>
        public const string RepeatPair = "RepeatPair";

        /// <summary><c>Lanes.StoreColumnSums</c>, imported.</summary>
        public const string StoreColumnSums = "StoreColumnSums";

        /// <summary><c>AeGen.Internals.LaneKernels</c>: the kernels with a row per lane, compiled for a shape.</summary>
        public const string LaneKernels = "LaneKernels";

        public const string PartialVector = "PartialVector";

        /// <summary>True in the kernel for the pass that starts from codes rather than samples.</summary>
        public const string StartsFromCodes = "typeof(TPass) == typeof(DecodePass)";

        /// <summary>True in the kernel for the pass that stops at the codes.</summary>
        public const string StopsAtCodes = "typeof(TPass) == typeof(EncodePass)";

        /// <summary>True in the kernel for the pass that returns the cost instead of writing its result.</summary>
        public const string ReturnsCost = "typeof(TPass) == typeof(CostPass)";
    }
}
