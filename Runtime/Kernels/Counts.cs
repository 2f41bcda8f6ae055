using System.Runtime.InteropServices;

namespace AeGen.Kernels;

// The counts a register tile is compiled for: its rows (1 to 12) and its vectors of columns (1 or 2). Each count is
// also the struct's size, because the JIT knows Unsafe.SizeOf<T>() while it imports a method, so a test on it drops
// the code it excludes before that code is compiled at all (a static member is only known once inlined, which would
// import and inline the code of all twelve rows for every count: about 6 ms of JIT time each).

[StructLayout(LayoutKind.Sequential, Size = 1)]
internal readonly struct One : ICount
{
    public static int Value => 1;
}

[StructLayout(LayoutKind.Sequential, Size = 2)]
internal readonly struct Two : ICount
{
    public static int Value => 2;
}

[StructLayout(LayoutKind.Sequential, Size = 3)]
internal readonly struct Three : ICount
{
    public static int Value => 3;
}

[StructLayout(LayoutKind.Sequential, Size = 4)]
internal readonly struct Four : ICount
{
    public static int Value => 4;
}

[StructLayout(LayoutKind.Sequential, Size = 5)]
internal readonly struct Five : ICount
{
    public static int Value => 5;
}

[StructLayout(LayoutKind.Sequential, Size = 6)]
internal readonly struct Six : ICount
{
    public static int Value => 6;
}

[StructLayout(LayoutKind.Sequential, Size = 7)]
internal readonly struct Seven : ICount
{
    public static int Value => 7;
}

[StructLayout(LayoutKind.Sequential, Size = 8)]
internal readonly struct Eight : ICount
{
    public static int Value => 8;
}

[StructLayout(LayoutKind.Sequential, Size = 9)]
internal readonly struct Nine : ICount
{
    public static int Value => 9;
}

[StructLayout(LayoutKind.Sequential, Size = 10)]
internal readonly struct Ten : ICount
{
    public static int Value => 10;
}

[StructLayout(LayoutKind.Sequential, Size = 11)]
internal readonly struct Eleven : ICount
{
    public static int Value => 11;
}

[StructLayout(LayoutKind.Sequential, Size = 12)]
internal readonly struct Twelve : ICount
{
    public static int Value => 12;
}
