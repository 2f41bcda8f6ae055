using System;
using System.IO;

namespace AeGen;

/// <summary>
/// The rows of a CSV file as lines of UTF-8 bytes, for as long as a row is one line: until a line holds a quote (a
/// quoted cell may hold a separator or a line break) or a carriage return that does not end it. There the reader stops
/// and says where, so that a full CSV reader takes over from that line's first byte. Finding line ends in the bytes
/// costs a fraction of what splitting every cell while decoding does, and it is done on one thread for all the parsers.
/// The rows are what Sep makes of the same lines: an empty line is a row of one empty cell, and a last line without a
/// line break is a row.
/// </summary>
internal sealed class CsvLines : IDisposable
{
    private const int BufferBytes = 1 << 20;

    private readonly FileStream _file;
    private byte[] _buffer = new byte[BufferBytes];
    private long _bufferOffset;
    private int _begin, _end;
    private bool _endOfFile;

    private CsvLines(FileStream file) => _file = file;

    /// <summary>The line number (counting from 1) of the next line.</summary>
    public int Line { get; private set; } = 1;

    /// <summary>The file's byte offset of the line that stopped the reader, once <see cref="TryNext"/> returned false with rows left.</summary>
    public long StoppedAt => _bufferOffset + _begin;

    /// <summary>True once the file has no more rows; false after <see cref="TryNext"/> returned false means a line it cannot split.</summary>
    public bool Ended { get; private set; }

    /// <summary>
    /// Opens <paramref name="path"/> past a UTF-8 byte order mark and, with <paramref name="hasHeader"/>, past the
    /// header line; null when the file is not for this reader from its start (another byte order mark, or a header
    /// that is not one plain line), and the full reader reads all of it.
    /// </summary>
    public static CsvLines? Open(string path, bool hasHeader)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var lines = new CsvLines(file);
        try
        {
            lines.Fill();
            ReadOnlySpan<byte> start = lines._buffer.AsSpan(0, lines._end);
            if (start.StartsWith("\uFEFF"u8))
            {
                lines._begin = 3;
            }
            else if (start.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            {
                // UTF-16 or UTF-32: left to the reader that decodes them.
                lines.Dispose();
                return null;
            }

            if (hasHeader && !lines.TryNext(out _) && !lines.Ended)
            {
                lines.Dispose();
                return null;
            }

            return lines;
        }
        catch
        {
            lines.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next row's text, without its line break; valid until the next call. False at the end of the file
    /// (<see cref="Ended"/>) or at a line this reader cannot split, which stays unread (<see cref="StoppedAt"/>).
    /// </summary>
    public bool TryNext(out ReadOnlySpan<byte> text)
    {
        text = default;
        if (Ended)
        {
            return false;
        }

        int searched = 0;
        while (true)
        {
            ReadOnlySpan<byte> rest = _buffer.AsSpan(_begin, _end - _begin);
            int found = rest.Slice(searched).IndexOfAny((byte)'\n', (byte)'"', (byte)'\r');
            if (found >= 0)
            {
                int at = searched + found;
                byte what = rest[at];
                if (what == (byte)'\n')
                {
                    return Take(at, at + 1, out text);
                }

                if (what == (byte)'\r' && at + 1 < rest.Length)
                {
                    if (rest[at + 1] == (byte)'\n')
                    {
                        return Take(at, at + 2, out text);
                    }
                }
                else if (what == (byte)'\r' && !_endOfFile)
                {
                    // A carriage return at the buffer's end: whether a line feed follows is in the next read.
                    searched = at;
                    MoreBytes();
                    continue;
                }

                // A quote, or a carriage return that does not end a line: the full reader's, from this line on.
                return false;
            }

            searched = rest.Length;
            if (_endOfFile)
            {
                if (rest.IsEmpty)
                {
                    Ended = true;
                    return false;
                }

                return Take(rest.Length, rest.Length, out text);
            }

            MoreBytes();
        }
    }

    public void Dispose() => _file.Dispose();

    private bool Take(int length, int consumed, out ReadOnlySpan<byte> text)
    {
        text = _buffer.AsSpan(_begin, length);
        _begin += consumed;
        Line++;
        return true;
    }

    /// <summary>Keeps the unread bytes (moved to the buffer's start, or into a larger buffer for a line longer than it) and reads more after them.</summary>
    private void MoreBytes()
    {
        int unread = _end - _begin;
        if (unread == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        else if (_begin > 0)
        {
            Array.Copy(_buffer, _begin, _buffer, 0, unread);
        }

        _bufferOffset += _begin;
        _begin = 0;
        _end = unread;
        Fill();
    }

    private void Fill()
    {
        while (_end < _buffer.Length)
        {
            int read = _file.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _endOfFile = true;
                return;
            }

            _end += read;
        }
    }
}
