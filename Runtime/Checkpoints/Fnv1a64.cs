using System;

namespace AeGen;

/// <summary>
/// The 64-bit FNV-1a hash, stored in checkpoint metadata to catch changed bytes in the tensor data, which would
/// otherwise load as other, equally finite parameters. Each byte step is a bijection of the state, so any single
/// changed byte always changes the hash. Not a defence against deliberate tampering.
/// </summary>
internal static class Fnv1a64
{
    private const ulong OffsetBasis = 0xCBF29CE484222325UL;
    private const ulong Prime = 0x100000001B3UL;

    public static ulong Hash(ReadOnlySpan<byte> data) => Append(OffsetBasis, data);

    /// <summary>Continues <paramref name="hash"/> over more bytes.</summary>
    public static ulong Append(ulong hash, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }
}
