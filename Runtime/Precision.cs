namespace AeGen;

/// <summary>The floating-point type a generated autoencoder computes in.</summary>
public enum Precision
{
    /// <summary>32-bit <see cref="float"/>: the default, twice the SIMD width of double.</summary>
    Single = 0,

    /// <summary>64-bit <see cref="double"/>.</summary>
    Double = 1,
}
