namespace AeGen;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output is fixed by its seed alone,
/// unlike <see cref="System.Random"/>, whose algorithm may change between .NET versions. Internal: the seeds of
/// <see cref="ParameterInitializer"/> and <see cref="TrainingOptions.Seed"/> are the public face of it.
/// </summary>
/// <param name="state">The seed.</param>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public int NextInt(int bound)
    {
        ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)bound;
        ulong value;
        do
        {
            value = NextUInt64();
        }
        while (value >= limit);
        return (int)(value % (ulong)bound);
    }
}
