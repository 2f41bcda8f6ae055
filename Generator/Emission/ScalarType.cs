using AeGen.Generator.Model;

namespace AeGen.Generator.Emission;

/// <summary>How one floating-point type is spelled in generated code.</summary>
/// <param name="Name">The C# keyword.</param>
/// <param name="One">The literal 1 of the type.</param>
/// <param name="Lanes">How many values one <c>Vector256</c> holds.</param>
internal sealed record ScalarType(string Name, string One, int Lanes)
{
    public static ScalarType Of(NumericType type) =>
        type == NumericType.Double ? new ScalarType("double", "1d", 4) : new ScalarType("float", "1f", 8);

    /// <summary><c>Vector256&lt;T&gt;</c>, fully qualified.</summary>
    public string Vector => "global::System.Runtime.Intrinsics.Vector256<" + Name + ">";
}
