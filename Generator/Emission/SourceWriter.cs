using System.Text;

namespace AeGen.Generator.Emission;

/// <summary>Builds C# text line by line with four-space indentation and '\n' line ends on every platform.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>Writes one line at the current indentation; an empty line carries no spaces.</summary>
    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            _text.Append(' ', _depth * 4).Append(text);
        }

        _text.Append('\n');
    }

    /// <summary>Writes <paramref name="header"/> (none for a bare block) and an opening brace, then indents.</summary>
    public void Open(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line("{");
        _depth++;
    }

    /// <summary>Outdents and writes a closing brace, dropping an empty line just before it.</summary>
    public void Close()
    {
        if (_text.Length >= 2 && _text[_text.Length - 1] == '\n' && _text[_text.Length - 2] == '\n')
        {
            _text.Length--;
        }

        _depth--;
        Line("}");
    }

    /// <summary>Writes a <c>&lt;summary&gt;</c> documentation comment.</summary>
    public void Summary(string text) => Line("/// <summary>" + text + "</summary>");

    /// <summary>
    /// Marks the method that follows as never inlined. Kernels carry it: inlined into a large caller, a kernel's own
    /// inlinees (the sigmoid above all) are refused once the JIT has spent that caller's inlining budget, and become
    /// calls, which made a whole Forward markedly slower when dynamic PGO inlined its first layer (BENCHMARKS.md).
    /// Spelled as in the kernel class (<see cref="KnownTypes.KernelScope"/>), where every kernel lives.
    /// </summary>
    public void NeverInlined() => Line("[MethodImpl(MethodImplOptions.NoInlining)]");

    public override string ToString() => _text.ToString();
}
