using AeGen.Generator.Model;

namespace AeGen.Generator.Emission;

/// <summary>How one floating-point type is spelled in generated code, and the sizes that follow from it.</summary>
/// <param name="Name">The C# keyword.</param>
/// <param name="One">The literal 1 of the type.</param>
/// <param name="Size">Bytes per value.</param>
/// <param name="IndexName">The integer type of the same size, whose vectors index a shuffle of this type's.</param>
/// <param name="IndexSuffix">The suffix of that integer type's literals.</param>
internal sealed record ScalarType(string Name, string One, int Size, string IndexName, string IndexSuffix)
{
    public static ScalarType Of(NumericType type) =>
        type == NumericType.Double ? new ScalarType("double", "1d", 8, "long", "L") : new ScalarType("float", "1f", 4, "int", string.Empty);

    /// <summary>How many values a vector of <paramref name="bits"/> bits holds.</summary>
    public int LanesIn(int bits) => bits / 8 / Size;

    /// <summary>How many values one <c>Vector256</c> holds.</summary>
    public int Lanes => LanesIn(256);
}
