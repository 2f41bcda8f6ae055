using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace AeGen.Kernels;

/// <summary>What the processor calls itself: wisdom is kept per processor, and benchmark reports name it.</summary>
internal static class CpuInfo
{
    /// <summary>The x86 brand string (CPUID 0x80000002–4), such as "AMD EPYC 9R14 96-Core Processor"; elsewhere the architecture.</summary>
    public static string Name { get; } = Read();

    private static string Read()
    {
        if (X86Base.IsSupported && (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax >= 0x80000004)
        {
            var bytes = new byte[48];
            for (int leaf = 0; leaf < 3; leaf++)
            {
                (int eax, int ebx, int ecx, int edx) = X86Base.CpuId(unchecked((int)0x80000002) + leaf, 0);
                MemoryMarshal.Write(bytes.AsSpan((leaf * 16) + 0), eax);
                MemoryMarshal.Write(bytes.AsSpan((leaf * 16) + 4), ebx);
                MemoryMarshal.Write(bytes.AsSpan((leaf * 16) + 8), ecx);
                MemoryMarshal.Write(bytes.AsSpan((leaf * 16) + 12), edx);
            }

            string brand = Encoding.ASCII.GetString(bytes).Replace('\0', ' ').Replace('|', '/').Trim();
            while (brand.Contains("  ", StringComparison.Ordinal))
            {
                brand = brand.Replace("  ", " ", StringComparison.Ordinal);
            }

            if (brand.Length > 0)
            {
                return brand;
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
