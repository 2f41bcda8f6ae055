using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AeGen.Kernels;

/// <summary>
/// Asks the cache for a row that will be read soon, where the processor takes such hints (x86; elsewhere nothing
/// happens). Rows drawn at random from a buffer larger than the L2 cache otherwise arrive one miss at a time: a hint a
/// few rows ahead lets their misses overlap. A hint never faults and never changes a result.
/// </summary>
internal static unsafe class Prefetch
{
    /// <summary>Hints every cache line of the <paramref name="length"/> values from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row<T>(ref T start, int length)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        // A hint for the first byte of each line, and one for the last byte, which may lie on a line of its own.
        byte* first = (byte*)Unsafe.AsPointer(ref start);
        nint bytes = (nint)length * sizeof(T);
        for (nint offset = 0; offset < bytes; offset += 64)
        {
            Sse.Prefetch0(first + offset);
        }

        Sse.Prefetch0(first + bytes - 1);
    }
}
