namespace AeGen.Generator.Emission;

/// <summary>The fully qualified names generated code refers to, spelled once.</summary>
internal static class KnownTypes
{
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    public const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    public const string Vector128 = "global::System.Runtime.Intrinsics.Vector128";
    public const string Vector256 = "global::System.Runtime.Intrinsics.Vector256";
    public const string Vector512 = "global::System.Runtime.Intrinsics.Vector512";
    public const string Math = "global::System.Math";
    public const string Sigmoid = "global::AeGen.Internals.Activation.Sigmoid";
    public const string PartialVector = "global::AeGen.Internals.PartialVector";
    public const string Lanes = "global::AeGen.Internals.Lanes";
    public const string ShapeGuard = "global::AeGen.Internals.ShapeGuard";
    public const string DenseKernels = "global::AeGen.Internals.DenseKernels";
    public const string FeatureScaler = "global::AeGen.FeatureScaler";
    public const string Autoencoder = "global::AeGen.IAutoencoder";
}
