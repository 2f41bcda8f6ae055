using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using nietras.SeparatedValues;

namespace AeGen;

/// <summary>
/// Reads a CSV file in blocks of rows on every core. One thread splits the file into rows and copies their text aside,
/// a chunk of rows at a time; parsing threads turn chunks into numbers in place in their block; the caller takes whole
/// blocks in file order. While each row is one line without quotes, the splitter only finds line ends in the file's
/// bytes (<see cref="CsvLines"/>) and a parser finds the cells in the row's bytes and reads them; from the first line
/// that is not such a row on, Sep splits rows and cells and the parser reads the cells it found. So nearly all the
/// work is the parsers', on every core, and a chunk is small enough to still be in the cache when it is parsed. A bad
/// row is not judged here: each block says which of its rows are bad and why (the first problem of the row, in the
/// order a reader going cell by cell meets them), and the caller applies
/// <see cref="CsvOptions.BadRows"/> in file order.
/// </summary>
internal sealed class CsvPipeline<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows per chunk: a few hundred kilobytes of text, which stays in a core's L2 cache until it is parsed.</summary>
    private const int ChunkRows = 256;

    private SepReader _reader;
    private SepReader? _ownReader;
    private CsvLines? _lines;
    private int _lineOffset;
    private readonly string _path;
    private readonly CsvOptions _options;
    private readonly int _capacity;
    private int[]? _kept;
    private bool? _keepsAll;
    private int _expectedColumns;

    private readonly Block[] _blocks;
    private readonly BlockingCollection<Block> _freeBlocks = new();
    private readonly BlockingCollection<Chunk> _freeChunks = new();
    private readonly BlockingCollection<Chunk> _toParse = new();
    private readonly BlockingCollection<Block> _inOrder = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _splitter;
    private readonly Task[] _parsers;
    private Block? _current;
    private bool _ended;

    /// <param name="reader">Sep's reader, past the header; used only by the splitting thread from here on.</param>
    /// <param name="kept">The file columns to keep, or null for every column of the first row.</param>
    /// <param name="path">The file, as errors name it.</param>
    /// <param name="options">How to read it.</param>
    /// <param name="rowsPerBlock">The most rows a block holds.</param>
    public CsvPipeline(SepReader reader, int[]? kept, string path, CsvOptions options, int rowsPerBlock)
    {
        _reader = reader;
        _kept = kept;
        // Every row has the header's columns, or, without a header, the first row's.
        _expectedColumns = options.HasHeader ? reader.Header.ColNames.Count : -1;
        _path = path;
        _options = options;
        _capacity = rowsPerBlock;
        // Rows that are single lines are split by the line reader, and Sep's reader (past the header) is used only if
        // the file is not for it from the start.
        _lines = CsvLines.Open(path, options.HasHeader);
        // A parser per core (the splitter and the caller share the cores with them). Three blocks: the caller's, one
        // being parsed and one being split; chunks enough for each parser to hold one while the splitter fills more.
        int parsers = Math.Clamp(Environment.ProcessorCount, 1, 4);
        _blocks = [new Block(rowsPerBlock), new Block(rowsPerBlock), new Block(rowsPerBlock)];
        foreach (Block block in _blocks)
        {
            _freeBlocks.Add(block);
        }

        for (int i = 0; i < (2 * parsers) + 2; i++)
        {
            _freeChunks.Add(new Chunk());
        }

        _splitter = Task.Factory.StartNew(Split, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _parsers = new Task[parsers];
        for (int i = 0; i < parsers; i++)
        {
            _parsers[i] = Task.Factory.StartNew(Parse, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>The kept file columns; known once the first block has been taken.</summary>
    public int[]? Kept => _kept;

    /// <summary>
    /// The next block in file order, parsed, or null after the last one. The block is the caller's until the next call.
    /// An error of the reading itself (not a bad row) is thrown here, after every block before it.
    /// </summary>
    public Block? Next()
    {
        if (_current is not null)
        {
            _freeBlocks.Add(_current);
            _current = null;
        }

        if (_ended)
        {
            return null;
        }

        Block block = _inOrder.Take();
        block.Parsed.Wait();
        _ended = block.IsLast;
        if (block.Error is not null)
        {
            _ended = true;
            ExceptionDispatchInfo.Throw(block.Error);
        }

        _current = block;
        return block;
    }

    public void Dispose()
    {
        // The caller may stop early: the threads are told to stop, and waited for, before the reader and buffers go.
        _stop.Cancel();
        try
        {
            Task.WaitAll([_splitter, .. _parsers]);
        }
        catch (AggregateException)
        {
            // A thread's error was handed on through Next, or is of no interest once the caller stopped.
        }

        _stop.Dispose();
        foreach (Block block in _blocks)
        {
            block.Parsed.Dispose();
        }

        _freeBlocks.Dispose();
        _freeChunks.Dispose();
        _toParse.Dispose();
        _inOrder.Dispose();
    }

    private void Split()
    {
        CancellationToken stop = _stop.Token;
        Block? block = null;
        try
        {
            bool more = true;
            while (more)
            {
                block = _freeBlocks.Take(stop);
                block.Reset();
                // In order before it is filled, so the caller waits for the block it needs next.
                _inOrder.Add(block, stop);
                more = Fill(block, stop);
                Block filled = block;
                block = null;
                filled.Release();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            if (block is null)
            {
                block = new Block(0);
                block.Reset();
                _inOrder.Add(block);
            }

            block.Error = error;
            block.IsLast = true;
            block.Release();
        }
        finally
        {
            _toParse.CompleteAdding();
            _lines?.Dispose();
            _ownReader?.Dispose();
        }
    }

    /// <summary>Fills <paramref name="block"/> with up to its capacity of rows, chunk by chunk; false when the file has ended.</summary>
    private bool Fill(Block block, CancellationToken stop)
    {
        while (block.Rows < _capacity)
        {
            Chunk chunk = _freeChunks.Take(stop);
            chunk.Start(block);
            bool ended = false;
            while (chunk.Rows < ChunkRows && block.Rows < _capacity)
            {
                if (_lines is not null)
                {
                    if (_lines.TryNext(out ReadOnlySpan<byte> line))
                    {
                        if (_expectedColumns < 0)
                        {
                            // No quotes in the line: its cells are its separators and one.
                            _expectedColumns = line.Count((byte)_options.Separator) + 1;
                        }

                        Know();
                        chunk.AppendLine(line, _lines.Line - 1, _kept!.Length);
                        continue;
                    }

                    if (_lines.Ended)
                    {
                        ended = true;
                        break;
                    }

                    SwitchToSep();
                }

                if (!_reader.MoveNext())
                {
                    ended = true;
                    break;
                }

                SepReader.Row row = _reader.Current;
                if (_expectedColumns < 0)
                {
                    _expectedColumns = row.ColCount;
                }

                Know();
                chunk.Append(row, _lineOffset, _kept!, _expectedColumns, _path);
            }

            if (chunk.Rows > 0)
            {
                block.Hold();
                _toParse.Add(chunk, stop);
            }
            else
            {
                _freeChunks.Add(chunk);
            }

            if (ended)
            {
                block.IsLast = true;
                return false;
            }
        }

        return true;
    }

    /// <summary>Once the file's column count is known: without chosen columns, all of them are kept.</summary>
    private void Know()
    {
        _kept ??= CsvRows.AllColumns(_expectedColumns);
        _keepsAll ??= IsEveryColumnInOrder(_kept, _expectedColumns);
    }

    /// <summary>
    /// From the line the line reader could not split (a quote or a lone carriage return), Sep reads the rest of the
    /// file: a reader of its own from that line's first byte, whose line numbers are offset by the lines before it.
    /// </summary>
    private void SwitchToSep()
    {
        CsvLines lines = _lines!;
        var rest = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            rest.Position = lines.StoppedAt;
            _ownReader = Sep.New(_options.Separator).Reader(o => o with { HasHeader = false, DisableColCountCheck = true }).From(rest);
        }
        catch
        {
            rest.Dispose();
            throw;
        }

        _reader = _ownReader;
        _lineOffset = lines.Line - 1;
        lines.Dispose();
        _lines = null;
    }

    /// <summary>The problem of a row with another number of columns than the file's.</summary>
    private static CsvDataException ColumnCountProblem(string path, int line, int expected, int found) =>
        new($"{path} line {line}: expected {expected} columns, but found {found}.", line, Math.Min(found, expected) + 1);

    /// <summary>The problem of a row that lacks a kept column (one past the file's columns).</summary>
    private static CsvDataException MissingColumnProblem(string path, int line, int column, int columns) =>
        new($"{path} line {line}: column index {column} (counting from 0) was asked for, but the line has only {columns} columns.", line, column + 1);

    /// <summary>Whether the kept columns are every column of a row, in file order, so that a row's cells are its kept cells.</summary>
    private static bool IsEveryColumnInOrder(int[] kept, int columns)
    {
        if (kept.Length != columns)
        {
            return false;
        }

        for (int c = 0; c < kept.Length; c++)
        {
            if (kept[c] != c)
            {
                return false;
            }
        }

        return true;
    }

    private void Parse()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            foreach (Chunk chunk in _toParse.GetConsumingEnumerable(stop))
            {
                Block block = chunk.Block!;
                try
                {
                    chunk.Parse(_kept!, _expectedColumns, _path, _options, _keepsAll!.Value);
                }
                catch (Exception error)
                {
                    // Not a bad row (those are noted in the block) but a failure of the parser itself: the caller
                    // meets it in place of this block.
                    block.Error ??= error;
                }
                finally
                {
                    _freeChunks.Add(chunk);
                    block.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Up to a block's capacity of rows, as the caller receives them: their values, lines and each bad row's first problem.</summary>
    internal sealed class Block(int capacity)
    {
        private int _holds;
        private int _problemCount;

        /// <summary>The line (counting from 1) each row ends on.</summary>
        public int[] Lines { get; } = new int[capacity];

        /// <summary>Each row's first problem, or null for a good row.</summary>
        public CsvDataException?[] Problems { get; } = new CsvDataException?[capacity];

        /// <summary>The kept values, row after row, <see cref="Width"/> to a row; bad rows hold whatever was parsed.</summary>
        public T[] Values { get; private set; } = [];

        public int Rows { get; private set; }

        public int Width { get; private set; }

        public int ProblemCount => Volatile.Read(ref _problemCount);

        /// <summary>No rows follow this block's.</summary>
        public bool IsLast { get; set; }

        /// <summary>Why reading stopped in this block, if it did (the splitter or a parser failed): the caller throws it in place of the block.</summary>
        public Exception? Error { get; set; }

        /// <summary>Set once the block is split and every chunk of it parsed.</summary>
        public ManualResetEventSlim Parsed { get; } = new();

        /// <summary>Empties the block for the splitter, which holds it until it is filled.</summary>
        public void Reset()
        {
            if (_problemCount > 0)
            {
                Array.Clear(Problems, 0, Rows);
            }

            Rows = 0;
            _problemCount = 0;
            IsLast = false;
            Error = null;
            _holds = 1;
            Parsed.Reset();
        }

        /// <summary>One more chunk to parse before the block is done.</summary>
        public void Hold() => Interlocked.Increment(ref _holds);

        /// <summary>A chunk is parsed, or the splitter is done: the last release marks the block parsed.</summary>
        public void Release()
        {
            if (Interlocked.Decrement(ref _holds) == 0)
            {
                Parsed.Set();
            }
        }

        /// <summary>A row of the block, given to the splitter; its values are sized once the width is known.</summary>
        public int AddRow(int width, int line)
        {
            if (Width != width || Values.Length != capacity * width)
            {
                Width = width;
                Values = new T[capacity * width];
            }

            Lines[Rows] = line;
            return Rows++;
        }

        public void Fail(int row, CsvDataException problem)
        {
            if (Problems[row] is null)
            {
                Interlocked.Increment(ref _problemCount);
            }

            Problems[row] = problem;
        }
    }

    /// <summary>
    /// A few hundred rows of one block, from the splitter to a parser: their text, and where each row's kept cells lie
    /// in it (fewer than the kept columns where a kept column is past the row's end).
    /// </summary>
    private sealed class Chunk
    {
        private char[] _text = new char[1 << 16];
        private int _textLength;
        private int[] _starts = [], _lengths = [];
        private readonly int[] _stored = new int[ChunkRows];
        private int _firstRow;

        // A row from the line reader: its UTF-8 bytes, whose cells the parser finds (-1 for a row of Sep's).
        private byte[] _raw = new byte[1 << 16];
        private int _rawLength;
        private readonly int[] _rawStarts = new int[ChunkRows], _rawLengths = new int[ChunkRows];
        private int[] _cellStarts = new int[64], _cellLengths = new int[64];

        public Block? Block { get; private set; }

        public int Rows { get; private set; }

        public void Start(Block block)
        {
            Block = block;
            _firstRow = block.Rows;
            Rows = 0;
            _textLength = 0;
            // A row's bytes start past a word's room, so the last eight bytes of any cell can be loaded as one word.
            _rawLength = sizeof(ulong);
        }

        /// <summary>Copies a row that is one line without quotes; its cells are found when it is parsed, from its bytes.</summary>
        public void AppendLine(ReadOnlySpan<byte> line, int lineNumber, int width)
        {
            Block!.AddRow(width, lineNumber);
            int r = Rows++;
            // Room for a whole vector past the row's bytes, so that the scan and the short cells' word can load there.
            if (_raw.Length - _rawLength < line.Length + Vector128<byte>.Count)
            {
                Array.Resize(ref _raw, Math.Max(_raw.Length * 2, _rawLength + line.Length + Vector128<byte>.Count));
            }

            line.CopyTo(_raw.AsSpan(_rawLength));
            _rawStarts[r] = _rawLength;
            _rawLengths[r] = line.Length;
            _rawLength += line.Length;
        }

        /// <summary>
        /// Parses a row of the line reader straight from its bytes. Where every column is kept in order, its cells are
        /// found by scanning for the separator, sixteen bytes a step, and read as short plain decimals
        /// (<see cref="TryReadWhole"/>); a row that does not read that way (a column too many or too few, a cell that is not a short plain decimal) is read again
        /// cell by cell, so that its first problem is named as for a row of Sep's: the column count first, then the
        /// first kept cell that is not a finite number.
        /// </summary>
        private void ParseLine(int r, Span<T> row, int[] kept, int expectedColumns, string path, CsvOptions options, bool keepsAll)
        {
            int start = _rawStarts[r], length = _rawLengths[r];
            byte separator = (byte)options.Separator;
            if (keepsAll && TryReadWhole(start, length, separator, row))
            {
                return;
            }

            int columns = SplitAll(start, length, separator);
            int line = Block!.Lines[_firstRow + r];
            if (columns != expectedColumns)
            {
                Block.Fail(_firstRow + r, ColumnCountProblem(path, line, expectedColumns, columns));
                return;
            }

            for (int c = 0; c < row.Length; c++)
            {
                int column = kept[c];
                if (column >= columns)
                {
                    Block.Fail(_firstRow + r, MissingColumnProblem(path, line, column, columns));
                    return;
                }

                int cellStart = _cellStarts[column], cellLength = _cellLengths[column];
                if (!TryReadBytes(cellStart, cellLength, out row[c]))
                {
                    string text = Encoding.UTF8.GetString(_raw, cellStart, cellLength);
                    Block.Fail(_firstRow + r, CsvRows.NotANumber(path, line, column, text, expectedColumns, options.HasHeader, options.Separator));
                    return;
                }
            }
        }

        /// <summary>
        /// Reads the row's cells into <paramref name="row"/> if it has exactly that many and each is a short plain
        /// decimal; false leaves the row to be read cell by cell. Where 256-bit vectors are accelerated, the scan only
        /// notes each cell (its last eight bytes as a word, and its sign and places) and the cells are then read eight
        /// at a time (<see cref="ReadNoted"/>); otherwise each cell is read as it is found.
        /// </summary>
        private bool TryReadWhole(int start, int length, byte separator, Span<T> row)
        {
            bool noting = Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian;
            if (noting && _words.Length < row.Length)
            {
                SizeNotes(row.Length);
            }

            ref byte text = ref _raw[start];
            Vector128<byte> target = Vector128.Create(separator);
            int width = row.Length, cell = 0, cellStart = 0;
            for (int i = 0; i < length; i += Vector128<byte>.Count)
            {
                uint ends = Vector128.Equals(Vector128.LoadUnsafe(ref text, (nuint)i), target).ExtractMostSignificantBits();
                if (length - i < Vector128<byte>.Count)
                {
                    ends &= (1u << (length - i)) - 1;
                }

                for (; ends != 0; ends &= ends - 1)
                {
                    int end = i + BitOperations.TrailingZeroCount(ends);
                    if (cell == width - 1
                        || !(noting ? Note(cell, start + cellStart, end - cellStart) : DecimalText.TryParseShort(_raw, start + cellStart, end - cellStart, out row[cell])))
                    {
                        return false;
                    }

                    cell++;
                    cellStart = end + 1;
                }
            }

            if (cell != width - 1)
            {
                return false;
            }

            return noting
                ? Note(cell, start + cellStart, length - cellStart) && ReadNoted(row)
                : DecimalText.TryParseShort(_raw, start + cellStart, length - cellStart, out row[cell]);
        }

        // The noted cells of a row, eight to a step: each cell's last eight bytes (the text at the top, in string
        // order), which of those bytes are its digits and point, 10^places and the sign as a factor of 1 or -1. Past
        // the row's width, a cell "0" that reads as 0.
        private ulong[] _words = [], _insides = [];
        private T[] _powers = [], _signs = [], _read = [];

        private void SizeNotes(int width)
        {
            int padded = (width + 7) & ~7;
            _words = new ulong[padded];
            _insides = new ulong[padded];
            _powers = new T[padded];
            _signs = new T[padded];
            _read = new T[padded];
            for (int c = width; c < padded; c++)
            {
                Record(c, (ulong)'0' << 56, 0xFFUL << 56, 0, negative: false);
            }
        }

        private void Record(int c, ulong word, ulong inside, int places, bool negative)
        {
            _words[c] = word;
            _insides[c] = inside;
            _powers[c] = DecimalText.Power<T>(places);
            _signs[c] = negative ? -T.One : T.One;
        }

        /// <summary>Notes the cell of <paramref name="length"/> bytes from <paramref name="start"/>; false if it cannot be a short plain decimal (empty, or over eight bytes after its sign).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool Note(int cell, int start, int length)
        {
            if (length <= 0)
            {
                return false;
            }

            byte lead = _raw[start];
            int sign = lead is (byte)'-' or (byte)'+' ? 1 : 0;
            int body = length - sign;
            if ((uint)(body - 1) > 7)
            {
                return false;
            }

            // The row's bytes start a word past the buffer's start, so the word ending at the cell's end is inside it.
            ulong word = Unsafe.ReadUnaligned<ulong>(ref _raw[start + length - sizeof(ulong)]);
            ulong inside = ulong.MaxValue << (8 * (8 - body));
            int places = 7 - (BitOperations.TrailingZeroCount(DecimalText.Points(word) & inside | (1UL << 63)) >> 3);
            Record(cell, word, inside, places, lead == (byte)'-');
            return true;
        }

        /// <summary>Reads the noted cells into <paramref name="row"/>, eight at a time; false if any is not a plain decimal in reach of the fast path.</summary>
        private bool ReadNoted(Span<T> row)
        {
            Vector256<ulong> good = Vector256<ulong>.AllBitsSet;
            for (int c = 0; c < row.Length; c += 8)
            {
                Vector256<ulong> low = DecimalText.Mantissas(Vector256.LoadUnsafe(ref _words[c]), Vector256.LoadUnsafe(ref _insides[c]), ref good);
                Vector256<ulong> high = DecimalText.Mantissas(Vector256.LoadUnsafe(ref _words[c + 4]), Vector256.LoadUnsafe(ref _insides[c + 4]), ref good);
                if (typeof(T) == typeof(float))
                {
                    // Below 2^24, exact in float: converted as ints, divided by the exact power, signed exactly.
                    Vector256<uint> mantissas = Vector256.Narrow(low, high);
                    good &= ~Vector256.GreaterThanOrEqual(mantissas, Vector256.Create(1u << 24)).AsUInt64();
                    Vector256<float> values = Vector256.ConvertToSingle(mantissas.AsInt32())
                        / Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref _powers[c]))
                        * Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref _signs[c]));
                    values.StoreUnsafe(ref Unsafe.As<T, float>(ref _read[c]));
                }
                else
                {
                    ref double powers = ref Unsafe.As<T, double>(ref _powers[c]), signs = ref Unsafe.As<T, double>(ref _signs[c]);
                    ref double read = ref Unsafe.As<T, double>(ref _read[c]);
                    (Vector256.ConvertToDouble(low.AsInt64()) / Vector256.LoadUnsafe(ref powers) * Vector256.LoadUnsafe(ref signs)).StoreUnsafe(ref read);
                    (Vector256.ConvertToDouble(high.AsInt64()) / Vector256.LoadUnsafe(ref powers, 4) * Vector256.LoadUnsafe(ref signs, 4)).StoreUnsafe(ref read, 4);
                }
            }

            if (good != Vector256<ulong>.AllBitsSet)
            {
                return false;
            }

            _read.AsSpan(0, row.Length).CopyTo(row);
            return true;
        }

        /// <summary>Every cell of the row's bytes from <paramref name="start"/>, split at each separator, into the row's cell table; the count of cells.</summary>
        private int SplitAll(int start, int length, byte separator)
        {
            ReadOnlySpan<byte> text = _raw.AsSpan(start, length);
            int cells = text.Count(separator) + 1;
            if (_cellStarts.Length < cells)
            {
                _cellStarts = new int[cells];
                _cellLengths = new int[cells];
            }

            int at = 0;
            for (int c = 0; c < cells; c++)
            {
                int end = c == cells - 1 ? length : at + text.Slice(at).IndexOf(separator);
                _cellStarts[c] = start + at;
                _cellLengths[c] = end - at;
                at = end + 1;
            }

            return cells;
        }

        /// <summary>
        /// A cell of a line reader's row: a short plain decimal from its bytes, or else its text decoded and read as a
        /// cell of Sep's is (<see cref="TryRead"/>), so that both kinds of rows give the same values and refusals.
        /// </summary>
        private bool TryReadBytes(int start, int length, out T value)
        {
            if (DecimalText.TryParseShort(_raw, start, length, out value))
            {
                return true;
            }

            // Decoded into the chunk's own buffer, kept from cell to cell, with a vector's room after the text.
            int room = Encoding.UTF8.GetMaxCharCount(length) + Vector128<ushort>.Count;
            if (_decoded.Length < room)
            {
                _decoded = new char[Math.Max(room, 2 * _decoded.Length)];
            }

            int chars = Encoding.UTF8.GetChars(_raw, start, length, _decoded, 0);
            return TryRead(_decoded, 0, chars, out value);
        }

        private char[] _decoded = new char[64];

        /// <summary>
        /// Copies the text of a row of Sep's and notes where its kept cells are, as Sep found them; a row of the wrong
        /// width, or without a kept column, gets its problem here.
        /// </summary>
        public void Append(SepReader.Row row, int lineOffset, int[] kept, int expectedColumns, string path)
        {
            int width = kept.Length;
            if (_starts.Length != ChunkRows * width)
            {
                _starts = new int[ChunkRows * width];
                _lengths = new int[ChunkRows * width];
            }

            // The row's last line. (Sep 0.17.1 reports LineNumberFrom = 2 for the first row of a file without a header.)
            int line = row.LineNumberToExcl - 1 + lineOffset;
            int blockRow = Block!.AddRow(width, line);
            int r = Rows++;
            _stored[r] = 0;
            _rawStarts[r] = -1;
            if (row.ColCount != expectedColumns)
            {
                Block.Fail(blockRow, ColumnCountProblem(path, line, expectedColumns, row.ColCount));
                return;
            }

            // Room for a whole vector past the row's text, so that DecimalText's short cells can load eight characters
            // wherever a cell starts.
            ReadOnlySpan<char> text = row.Span;
            if (_text.Length - _textLength < text.Length + Vector128<ushort>.Count)
            {
                Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + text.Length + Vector128<ushort>.Count));
            }

            text.CopyTo(_text.AsSpan(_textLength));
            int first = r * width;
            ref char origin = ref MemoryMarshal.GetReference(text);
            int stored = 0;
            for (; stored < width; stored++)
            {
                int column = kept[stored];
                if (column >= row.ColCount)
                {
                    Block.Fail(blockRow, MissingColumnProblem(path, line, column, row.ColCount));
                    break;
                }

                ReadOnlySpan<char> cell = row[column].Span;
                _lengths[first + stored] = cell.Length;
                _starts[first + stored] = cell.IsEmpty
                    ? _textLength
                    : _textLength + (int)(Unsafe.ByteOffset(ref origin, ref MemoryMarshal.GetReference(cell)) / sizeof(char));
            }

            _stored[r] = stored;
            _textLength += text.Length;
        }

        /// <summary>Parses every stored cell into the block; the first that is not a finite number is its row's problem, before a kept column the row lacks.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Parse(int[] kept, int expectedColumns, string path, CsvOptions options, bool keepsAll)
        {
            Block block = Block!;
            int width = kept.Length;
            Span<T> values = block.Values.AsSpan(_firstRow * width, Rows * width);
            for (int r = 0; r < Rows; r++)
            {
                int first = r * width;
                if (_rawStarts[r] >= 0)
                {
                    ParseLine(r, values.Slice(first, width), kept, expectedColumns, path, options, keepsAll);
                    continue;
                }

                for (int c = 0; c < _stored[r]; c++)
                {
                    int start = _starts[first + c], length = _lengths[first + c];
                    if (!TryRead(_text, start, length, out T value))
                    {
                        block.Fail(_firstRow + r, CsvRows.NotANumber(path, block.Lines[_firstRow + r], kept[c], _text.AsSpan(start, length), expectedColumns, options.HasHeader, options.Separator));
                        break;
                    }

                    values[first + c] = value;
                }
            }
        }

        /// <summary>
        /// Plain decimals first (exact, and several times faster than a general parser), then the invariant culture's
        /// general parser (correctly rounded), for exponents, long mantissas and spaces around the number.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool TryRead(char[] buffer, int start, int length, out T value) =>
            DecimalText.TryParse(buffer, start, length, out value) || TryReadGeneral(buffer, start, length, out value);

        /// <summary>What the plain decimals leave: the general parser, and a finite result (a plain decimal always is).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool TryReadGeneral(char[] buffer, int start, int length, out T value) =>
            T.TryParse(buffer.AsSpan(start, length).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && T.IsFinite(value);
    }
}
