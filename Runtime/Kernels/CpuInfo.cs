using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace AeGen.Kernels;

/// <summary>What the processor calls itself: wisdom is kept per processor, and benchmark reports name it.</summary>
internal static class CpuInfo
{
    /// <summary>
    /// The x86 brand string (CPUID 0x80000002–4) with the family and model (CPUID 1), such as "AMD EPYC (family 25,
    /// model 17)": virtual machines often report a bare brand such as "AMD EPYC" for different core designs, whose
    /// best plans differ. Elsewhere the architecture.
    /// </summary>
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

            (int signature, _, _, _) = X86Base.CpuId(1, 0);
            int family = (signature >> 8) & 0xF, model = (signature >> 4) & 0xF;
            if (family == 0xF)
            {
                family += (signature >> 20) & 0xFF;
            }

            if (family is 0x6 or >= 0xF)
            {
                model += ((signature >> 16) & 0xF) << 4;
            }

            return string.Create(CultureInfo.InvariantCulture, $"{(brand.Length > 0 ? brand : "x86")} (family {family}, model {model})");
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
