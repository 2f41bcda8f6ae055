using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading;
using System.Threading.Tasks;
using nietras.SeparatedValues;

namespace AeGen;

/// <summary>
/// Reads a CSV file in blocks of rows on every core. One thread splits the text into rows and cells with Sep and copies
/// the rows' text aside, a chunk of rows at a time, with where their kept cells lie; parsing threads turn chunks into
/// numbers in place in their block; the caller takes whole blocks in file order. Splitting is about a third of the
/// work and parsing the rest, so the file is read faster than one core parses it, and a chunk's text is small enough
/// to still be in the cache when it is parsed. A bad row is not judged here: each block says which of its rows are bad
/// and why (the first problem of the row, in the order a reader going cell by cell meets them), and the caller applies
/// <see cref="CsvOptions.BadRows"/> in file order.
/// </summary>
internal sealed class CsvPipeline<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows per chunk: a few hundred kilobytes of text, which stays in a core's L2 cache until it is parsed.</summary>
    private const int ChunkRows = 256;

    private readonly SepReader _reader;
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

                _kept ??= CsvRows.AllColumns(row.ColCount);
                _keepsAll ??= IsEveryColumnInOrder(_kept, _expectedColumns);
                chunk.Append(row, _kept, _expectedColumns, _path, _keepsAll.Value ? _options.Separator : null);
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
                    chunk.Parse(_kept!, _expectedColumns, _path, _options);
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

        public Block? Block { get; private set; }

        public int Rows { get; private set; }

        public void Start(Block block)
        {
            Block = block;
            _firstRow = block.Rows;
            Rows = 0;
            _textLength = 0;
        }

        /// <summary>
        /// Copies the row's text and notes where its kept cells are; a row of the wrong width, or without a kept column,
        /// gets its problem here. With <paramref name="separator"/> (every column kept, in order), a row without quotes
        /// has its cells found by scanning the copy for the separator, eight characters a step, which is what Sep's cells
        /// are there and costs less than asking Sep for each.
        /// </summary>
        public void Append(SepReader.Row row, int[] kept, int expectedColumns, string path, char? separator)
        {
            int width = kept.Length;
            if (_starts.Length != ChunkRows * width)
            {
                _starts = new int[ChunkRows * width];
                _lengths = new int[ChunkRows * width];
            }

            // The row's last line. (Sep 0.17.1 reports LineNumberFrom = 2 for the first row of a file without a header.)
            int line = row.LineNumberToExcl - 1;
            int blockRow = Block!.AddRow(width, line);
            int r = Rows++;
            _stored[r] = 0;
            if (row.ColCount != expectedColumns)
            {
                Block.Fail(blockRow, new CsvDataException(
                    $"{path} line {line}: expected {expectedColumns} columns, but found {row.ColCount}.", line, Math.Min(row.ColCount, expectedColumns) + 1));
                return;
            }

            // Room for a whole vector past the row's text, so that the scan below and DecimalText's short cells can
            // load eight characters wherever a cell ends.
            ReadOnlySpan<char> text = row.Span;
            if (_text.Length - _textLength < text.Length + Vector128<ushort>.Count)
            {
                Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + text.Length + Vector128<ushort>.Count));
            }

            text.CopyTo(_text.AsSpan(_textLength));
            int first = r * width;
            if (separator is char between && !text.Contains('"') && Cells(_textLength, text.Length, between, first, width))
            {
                _stored[r] = width;
                _textLength += text.Length;
                return;
            }

            ref char origin = ref MemoryMarshal.GetReference(text);
            int stored = 0;
            for (; stored < width; stored++)
            {
                int column = kept[stored];
                if (column >= row.ColCount)
                {
                    Block.Fail(blockRow, new CsvDataException(
                        $"{path} line {line}: column index {column} (counting from 0) was asked for, but the line has only {row.ColCount} columns.", line, column + 1));
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

        /// <summary>
        /// Notes the <paramref name="width"/> cells of the text copied at <paramref name="start"/>, split at
        /// <paramref name="separator"/>; false (nothing to rely on) if the text does not split into exactly that many.
        /// The last vector may reach past the text, into the room <see cref="Append"/> keeps; its lanes there are masked.
        /// </summary>
        private bool Cells(int start, int length, char separator, int first, int width)
        {
            ref ushort text = ref Unsafe.As<char, ushort>(ref _text[start]);
            Vector128<ushort> target = Vector128.Create((ushort)separator);
            int cell = 0, cellStart = 0;
            for (int i = 0; i < length; i += Vector128<ushort>.Count)
            {
                uint ends = Vector128.Equals(Vector128.LoadUnsafe(ref text, (nuint)i), target).ExtractMostSignificantBits();
                if (length - i < Vector128<ushort>.Count)
                {
                    ends &= (1u << (length - i)) - 1;
                }

                for (; ends != 0; ends &= ends - 1)
                {
                    if (cell == width - 1)
                    {
                        return false;
                    }

                    int end = i + BitOperations.TrailingZeroCount(ends);
                    _starts[first + cell] = start + cellStart;
                    _lengths[first + cell] = end - cellStart;
                    cell++;
                    cellStart = end + 1;
                }
            }

            if (cell != width - 1)
            {
                return false;
            }

            _starts[first + cell] = start + cellStart;
            _lengths[first + cell] = length - cellStart;
            return true;
        }

        /// <summary>Parses every stored cell into the block; the first that is not a finite number is its row's problem, before a kept column the row lacks.</summary>
        public void Parse(int[] kept, int expectedColumns, string path, CsvOptions options)
        {
            Block block = Block!;
            int width = kept.Length;
            Span<T> values = block.Values.AsSpan(_firstRow * width, Rows * width);
            for (int r = 0; r < Rows; r++)
            {
                int first = r * width;
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
        private static bool TryRead(char[] buffer, int start, int length, out T value) =>
            (DecimalText.TryParse(buffer, start, length, out value)
                || T.TryParse(buffer.AsSpan(start, length).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            && T.IsFinite(value);
    }
}
