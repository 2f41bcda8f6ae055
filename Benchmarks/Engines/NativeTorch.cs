using System;
using System.IO;
using System.Linq;

namespace AeGen.Benchmarks.Engines;

/// <summary>
/// Makes TorchSharp's native library loadable on Debian 12. libLibTorchSharp.so asks for GLIBCXX_3.4.32, which
/// Debian 12's libstdc++ lacks; the only symbol behind that version is a marker the library never calls
/// (_ZSt21ios_base_library_initv). Marking that version requirement weak (VER_FLG_WEAK in .gnu.version_r) lets
/// the loader accept the library. Only the copy in this benchmark's own build output is changed.
/// </summary>
public static class NativeTorch
{
    private const uint SectionTypeVersionNeeds = 0x6ffffffe;
    private const ushort WeakFlag = 0x2;
    private const string MissingVersion = "GLIBCXX_3.4.32";

    /// <summary>Patches the library next to the running program if needed, then checks that torch loads.</summary>
    /// <returns>null when torch works, else why it does not.</returns>
    public static string? Prepare()
    {
        try
        {
            string? library = Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).FirstOrDefault();
            if (library is not null)
            {
                MarkVersionWeak(library, MissingVersion);
            }

            using TorchSharp.torch.Tensor probe = TorchSharp.torch.ones(2);
            return probe.sum().item<float>() == 2 ? null : "torch computed 1 + 1 wrongly";
        }
#pragma warning disable CA1031 // Any failure to load a native library means the same thing here: no torch.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    /// <summary>Sets VER_FLG_WEAK on the version requirement named <paramref name="version"/>; true if it changed the file.</summary>
    public static bool MarkVersionWeak(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        long sectionTable = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < count; s++)
        {
            long header = sectionTable + (s * entrySize);
            if (BitConverter.ToUInt32(elf, (int)header + 4) != SectionTypeVersionNeeds)
            {
                continue;
            }

            long offset = BitConverter.ToInt64(elf, (int)header + 24);
            int strings = (int)BitConverter.ToUInt32(elf, (int)header + 40);
            int needs = (int)BitConverter.ToUInt32(elf, (int)header + 44);
            long stringTable = BitConverter.ToInt64(elf, (int)(sectionTable + (strings * entrySize)) + 24);
            long need = offset;
            for (int n = 0; n < needs; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = ReadString(elf, stringTable + BitConverter.ToUInt32(elf, (int)aux + 8));
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (name == version && (flags & WeakFlag) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | WeakFlag)).CopyTo(elf, aux + 4);
                        // A new file renamed over the old one: a process that has the library mapped keeps its copy.
                        string patched = path + ".patched";
                        File.WriteAllBytes(patched, elf);
                        File.Move(patched, path, overwrite: true);
                        return true;
                    }

                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }

                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }

        return false;
    }

    private static string ReadString(byte[] data, long start)
    {
        long end = start;
        while (data[end] != 0)
        {
            end++;
        }

        return System.Text.Encoding.ASCII.GetString(data, (int)start, (int)(end - start));
    }
}
