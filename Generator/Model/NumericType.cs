namespace AeGen.Generator.Model;

/// <summary>The floating-point type of a model; values match the runtime's <c>AeGen.Precision</c> enum.</summary>
internal enum NumericType
{
    Single = 0,
    Double = 1,
}
