using System.Collections.Generic;
using System.Text;

namespace AeGen.Generator.Emission;

/// <summary>Builds C# text line by line with four-space indentation and '\n' line ends on every platform.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>
    /// The longest line an expression is written on: a longer one (a chain of multiply-adds over a wide layer) is
    /// broken after each term, as a person would write it. Whitespace alone changes, so the compiled code does not.
    /// </summary>
    public const int LineWidth = 120;

    /// <summary>
    /// Whether <paramref name="items"/> pieces of text, <paramref name="length"/> characters in all, go on more than one
    /// line. Two always share one, even when long: only the smallest models have such pairs, and a break would cost
    /// them more bytes than they have to spare (GeneratedSizeTests).
    /// </summary>
    private static bool Breaks(int items, int length) => items > 2 && length > LineWidth;

    /// <summary>
    /// Writes one line at the current indentation; an empty line carries no spaces. A '\n' in
    /// <paramref name="text"/> continues the statement on a line of its own, indented one step further.
    /// </summary>
    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            int start = 0;
            for (int end = text.IndexOf('\n'); end >= 0; end = text.IndexOf('\n', start))
            {
                _text.Append(' ', (_depth + (start > 0 ? 1 : 0)) * 4).Append(text, start, end - start).Append('\n');
                start = end + 1;
            }

            _text.Append(' ', (_depth + (start > 0 ? 1 : 0)) * 4).Append(text, start, text.Length - start);
        }

        _text.Append('\n');
    }

    /// <summary>
    /// <paramref name="parts"/> joined by <paramref name="separator"/>, on one line when it fits in
    /// <see cref="LineWidth"/> (see <see cref="Breaks"/>) and otherwise broken before the part that would pass it
    /// (continuations for <see cref="Line"/>): a long declaration list or sum.
    /// </summary>
    public static string Fill(IReadOnlyList<string> parts, string separator)
    {
        string flat = string.Join(separator, parts);
        if (!Breaks(parts.Count, flat.Length))
        {
            return flat;
        }

        var text = new StringBuilder(flat.Length + parts.Count);
        int lineStart = 0;
        string trimmed = separator.TrimEnd();
        for (int i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                bool breakHere = text.Length - lineStart + separator.Length + parts[i].Length > LineWidth;
                text.Append(breakHere ? trimmed + "\n" : separator);
                if (breakHere)
                {
                    lineStart = text.Length;
                }
            }

            text.Append(parts[i]);
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes short statements side by side, as many to a line as fit in <see cref="LineWidth"/> (see
    /// <see cref="Breaks"/>), each line at the current indentation.
    /// </summary>
    public void Statements(IReadOnlyList<string> statements)
    {
        string flat = string.Join(" ", statements);
        if (!Breaks(statements.Count, flat.Length))
        {
            Line(flat);
            return;
        }

        var line = new StringBuilder();
        foreach (string statement in statements)
        {
            if (line.Length > 0 && line.Length + 1 + statement.Length > LineWidth)
            {
                Line(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(statement);
        }

        Line(line.ToString());
    }

    /// <summary>
    /// A chain of calls, each taking the next as its last argument (<c>f(a0, f(a1, … seed))</c>), on one line when it
    /// fits in <see cref="LineWidth"/> (see <see cref="Breaks"/>) and otherwise one call per line, the innermost with the
    /// seed (continuations for <see cref="Line"/>).
    /// </summary>
    /// <param name="links">The calls from the outermost in, each without its last argument and closing parenthesis, as in <c>f(a0, </c>.</param>
    /// <param name="seed">The innermost argument.</param>
    public static string Chain(IReadOnlyList<string> links, string seed)
    {
        int length = seed.Length + links.Count;
        foreach (string link in links)
        {
            length += link.Length;
        }

        bool wrap = Breaks(links.Count, length);
        var text = new StringBuilder(length + links.Count);
        for (int i = 0; i < links.Count; i++)
        {
            text.Append(links[i]);
            if (wrap && i < links.Count - 1)
            {
                // "f(a0, " ends in a space, which the line break replaces; the seed stays on the last call's line.
                text.Length--;
                text.Append('\n');
            }
        }

        return text.Append(seed).Append(')', links.Count).ToString();
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
