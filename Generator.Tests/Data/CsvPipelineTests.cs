using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AeGen.Tests.Checkpoints;
using Xunit;

namespace AeGen.Tests.Data;

/// <summary>
/// Reading a CSV file on several threads (one splitting, others parsing): blocks in file order with every value as the
/// framework's own parser reads it, bad rows settled in file order under each option, and early stops that end it.
/// </summary>
public sealed class CsvPipelineTests : IDisposable
{
    private const int Columns = 5;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>A file of <paramref name="rows"/> rows, plain decimals, exponents and long mantissas mixed; the text of each cell, row by row.</summary>
    private (string Path, string[][] Cells) WriteNumbers(int rows, int seed)
    {
        var random = new Random(seed);
        var cells = new string[rows][];
        var text = new StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            cells[r] = new string[Columns];
            for (int c = 0; c < Columns; c++)
            {
                double value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7));
                cells[r][c] = ((r + c) % 3) switch
                {
                    0 => value.ToString("F3", CultureInfo.InvariantCulture),
                    1 => value.ToString("E10", CultureInfo.InvariantCulture),
                    _ => value.ToString("R", CultureInfo.InvariantCulture),
                };
            }

            text.Append(string.Join(',', cells[r])).Append('\n');
        }

        string path = _directory.File($"numbers{seed}.csv");
        File.WriteAllText(path, text.ToString());
        return (path, cells);
    }

    private static List<T> Concatenate<T>(IEnumerable<ReadOnlyMemory<T>> blocks)
    {
        var all = new List<T>();
        foreach (ReadOnlyMemory<T> block in blocks)
        {
            Assert.Equal(0, block.Length % Columns);
            all.AddRange(block.Span);
        }

        return all;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(4096)]
    public void Blocks_come_back_in_file_order_with_every_value_as_the_framework_parses_it(int rowsPerBlock)
    {
        (string path, string[][] cells) = WriteNumbers(6_000, seed: rowsPerBlock);
        float[] expectedFloats = cells.SelectMany(row => row.Select(cell => float.Parse(cell, CultureInfo.InvariantCulture))).ToArray();
        double[] expectedDoubles = cells.SelectMany(row => row.Select(cell => double.Parse(cell, CultureInfo.InvariantCulture))).ToArray();

        Assert.Equal(expectedFloats, Concatenate(CsvRows.ReadBlocks<float>(path, null, rowsPerBlock)));
        Assert.Equal(expectedDoubles, Concatenate(CsvRows.ReadBlocks<double>(path, null, rowsPerBlock)));
        (double[] all, int width) = CsvRows.ReadAll<double>(path);
        Assert.Equal(Columns, width);
        Assert.Equal(expectedDoubles, all);
    }

    [Fact]
    public void Each_enumeration_reads_the_file_again_from_its_start()
    {
        (string path, string[][] cells) = WriteNumbers(500, seed: 5);
        IEnumerable<ReadOnlyMemory<double>> blocks = CsvRows.ReadBlocks<double>(path, null, 64);
        List<double> first = Concatenate(blocks);
        Assert.Equal(500 * Columns, first.Count);
        Assert.Equal(first, Concatenate(blocks));
        Assert.Equal(double.Parse(cells[499][4], CultureInfo.InvariantCulture), first[^1]);
    }

    /// <summary>A file of 3,000 good rows of the numbers r·10 + c, with bad rows put in after the given good rows; the bad rows' lines.</summary>
    private (string Path, int[] BadLines) WriteWithBadRows(params int[] after)
    {
        var text = new StringBuilder();
        var badLines = new List<int>();
        int line = 0;
        for (int r = 0; r < 3_000; r++)
        {
            if (after.Contains(r))
            {
                line++;
                badLines.Add(line);
                text.Append(badLines.Count % 2 == 0 ? "1,2,3\n" : "1,2,x,4,5\n");
            }

            line++;
            text.Append(string.Join(',', Enumerable.Range(0, Columns).Select(c => (r * 10) + c))).Append('\n');
        }

        string path = _directory.File("bad.csv");
        File.WriteAllText(path, text.ToString());
        return (path, [.. badLines]);
    }

    private static double Good(int row, int column) => (row * 10) + column;

    [Fact]
    public void Skipped_rows_are_left_out_and_named_in_file_order()
    {
        // Bad rows at a block's first and last row, two in one block, and in the file's last block.
        (string path, int[] badLines) = WriteWithBadRows(0, 99, 100, 101, 1_234, 2_999);
        var skipped = new List<int>();
        List<double> values = Concatenate(CsvRows.ReadBlocks<double>(path, new CsvOptions { BadRows = CsvBadRows.Skip, SkippedLines = skipped }, 100));
        Assert.Equal(badLines, skipped);
        Assert.Equal(Enumerable.Range(0, 3_000).SelectMany(r => Enumerable.Range(0, Columns).Select(c => Good(r, c))), values);
    }

    [Fact]
    public void Rows_read_as_NaN_keep_their_places()
    {
        (string path, int[] badLines) = WriteWithBadRows(0, 100, 101, 2_999);
        List<double> values = Concatenate(CsvRows.ReadBlocks<double>(path, new CsvOptions { BadRows = CsvBadRows.AsNaN }, 100));
        Assert.Equal((3_000 + badLines.Length) * Columns, values.Count);
        int good = 0;
        for (int line = 1; line <= 3_000 + badLines.Length; line++)
        {
            IEnumerable<double> row = values.Skip((line - 1) * Columns).Take(Columns);
            if (badLines.Contains(line))
            {
                Assert.All(row, v => Assert.True(double.IsNaN(v)));
                continue;
            }

            Assert.Equal(Enumerable.Range(0, Columns).Select(c => Good(good, c)), row);
            good++;
        }
    }

    [Fact]
    public void The_first_bad_row_is_thrown_after_every_row_before_it()
    {
        (string path, int[] badLines) = WriteWithBadRows(1_234, 2_000);
        var handedOn = new List<double>();
        var error = Assert.Throws<CsvDataException>(() =>
        {
            foreach (ReadOnlyMemory<double> block in CsvRows.ReadBlocks<double>(path, null, 100))
            {
                handedOn.AddRange(block.Span);
            }
        });
        Assert.Equal(badLines[0], error.Line);
        Assert.Equal(3, error.Column);
        Assert.Contains($"line {badLines[0]}, column 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 1_234).SelectMany(r => Enumerable.Range(0, Columns).Select(c => Good(r, c))), handedOn);

        var whole = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<double>(path));
        Assert.Equal(badLines[0], whole.Line);
    }

    [Fact]
    public void A_column_past_the_line_is_reported_only_after_the_kept_columns_before_it_read()
    {
        // Kept columns 1 and 9: on line 2 column 1 is not a number, which is what a reader going column by column meets first.
        string path = _directory.File("short.csv");
        File.WriteAllText(path, "1,2,3\n4,y,6\n");
        var error = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<double>(path, new CsvOptions { Columns = [1, 9] }));
        Assert.Equal(1, error.Line);
        Assert.Contains("column index 9", error.Message, StringComparison.Ordinal);

        File.WriteAllText(path, "1,y,3\n4,5,6\n");
        var first = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<double>(path, new CsvOptions { Columns = [1, 9] }));
        Assert.Equal(1, first.Line);
        Assert.Equal(2, first.Column);
        Assert.Contains("'y' is not a finite number", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stopping_early_returns_and_a_new_enumeration_reads_the_file_afresh()
    {
        (string path, string[][] cells) = WriteNumbers(20_000, seed: 7);
        IEnumerable<ReadOnlyMemory<double>> blocks = CsvRows.ReadBlocks<double>(path, null, 16);
        for (int i = 0; i < 20; i++)
        {
            double firstValue = double.NaN;
            foreach (ReadOnlyMemory<double> block in blocks)
            {
                firstValue = block.Span[0];
                break;
            }

            Assert.Equal(double.Parse(cells[0][0], CultureInfo.InvariantCulture), firstValue);
        }

        // Each enumeration opens the file again: a new one reads what the file holds now.
        File.WriteAllText(path, "1,2,3,4,5\n");
        Assert.Equal([1.0, 2, 3, 4, 5], Concatenate(blocks));
    }

    [Theory]
    [InlineData(',', "\n")]
    [InlineData(';', "\r\n")]
    [InlineData('\t', "\r\n")]
    public void Rows_split_by_scanning_for_the_separator_read_as_each_cell_alone_reads(char separator, string newline)
    {
        // Cells of many lengths, some with spaces around the number, so that cells end at every offset of the scan's
        // steps and rows end partway through a step.
        var random = new Random(11);
        var lines = new List<string[]>();
        for (int r = 0; r < 2_000; r++)
        {
            lines.Add(Enumerable.Range(0, Columns).Select(_ => random.Next(4) switch
            {
                0 => random.Next(100).ToString(CultureInfo.InvariantCulture),
                1 => (random.NextDouble() * 1e6).ToString("R", CultureInfo.InvariantCulture),
                2 => " " + (random.NextDouble() - 0.5).ToString("E12", CultureInfo.InvariantCulture) + " ",
                _ => (-random.NextDouble()).ToString("F9", CultureInfo.InvariantCulture),
            }).ToArray());
        }

        string path = _directory.File("separated.csv");
        File.WriteAllText(path, string.Concat(lines.Select(cells => string.Join(separator, cells) + newline)));
        double[] expected = lines.SelectMany(cells => cells.Select(cell => double.Parse(cell, CultureInfo.InvariantCulture))).ToArray();

        Assert.Equal(expected, CsvRows.ReadAll<double>(path, new CsvOptions { Separator = separator }).Values);
        // A choice of columns other than all of them in order is read cell by cell: the same values.
        (double[] reversed, _) = CsvRows.ReadAll<double>(path, new CsvOptions { Separator = separator, Columns = [4, 3, 2, 1, 0] });
        Assert.Equal(lines.SelectMany(cells => cells.Reverse().Select(cell => double.Parse(cell, CultureInfo.InvariantCulture))), reversed);
    }

    [Fact]
    public void An_empty_cell_or_a_quoted_one_is_named_by_its_column_either_way()
    {
        string path = _directory.File("cells.csv");
        File.WriteAllText(path, "1,2,3,4,5\n6,7,,9,10\n");
        var empty = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<double>(path));
        Assert.Equal((2, 3), (empty.Line, empty.Column));

        File.WriteAllText(path, "1,2,3,4,5\n6,7,8,\"9\",10\n");
        var quoted = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<double>(path));
        Assert.Equal((2, 4), (quoted.Line, quoted.Column));
        Assert.Contains("'\"9\"' is not a finite number", quoted.Message, StringComparison.Ordinal);
    }

    /// <summary>A cell the fast paths read, or one just outside their reach, or (rarely) one that is not a number.</summary>
    private static string ShortCell(Random random) => random.Next(40) switch
    {
        0 => "16777217", // eight digits, but beyond float's exact integers
        1 => "123456789", // nine digits
        2 => "1.5e3",
        3 => " 2.5",
        4 => "-0",
        5 => "+.5",
        6 => "7.",
        7 => "0.0000001",
        _ => ((random.Next(3) == 0 ? "-" : "") + (random.NextDouble() * Math.Pow(10, random.Next(0, 5))).ToString("F" + random.Next(0, 4), CultureInfo.InvariantCulture)),
    };

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    public void Rows_of_short_decimals_read_eight_cells_at_a_time_bit_for_bit_as_the_framework_reads_them(int width)
    {
        // Most rows are all short plain decimals (read eight cells at a time where 256-bit vectors are accelerated);
        // a row with one cell beyond that reach is read cell by cell, and must give the same bits either way.
        var random = new Random(width);
        var rows = Enumerable.Range(0, 3_000).Select(_ => Enumerable.Range(0, width).Select(_ => ShortCell(random)).ToArray()).ToArray();
        string path = _directory.File($"short{width}.csv");
        File.WriteAllText(path, string.Concat(rows.Select(cells => string.Join(',', cells) + "\n")));

        int[] expectedFloats = rows.SelectMany(cells => cells.Select(cell => BitConverter.SingleToInt32Bits(float.Parse(cell, CultureInfo.InvariantCulture)))).ToArray();
        long[] expectedDoubles = rows.SelectMany(cells => cells.Select(cell => BitConverter.DoubleToInt64Bits(double.Parse(cell, CultureInfo.InvariantCulture)))).ToArray();
        Assert.Equal(expectedFloats, CsvRows.ReadAll<float>(path).Values.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expectedDoubles, CsvRows.ReadAll<double>(path).Values.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void A_bad_cell_among_short_decimals_is_named_as_when_it_is_read_alone()
    {
        string path = _directory.File("shortbad.csv");
        string good = string.Join(',', Enumerable.Range(0, 16).Select(c => (c * 1.25).ToString(CultureInfo.InvariantCulture)));
        foreach ((string bad, int column) in new[] { ("1.2.3", 3), ("1-2", 9), ("12x", 16), ("", 1), ("-", 8), (".", 12) })
        {
            string[] cells = good.Split(',');
            cells[column - 1] = bad;
            File.WriteAllText(path, good + "\n" + good + "\n" + string.Join(',', cells) + "\n" + good + "\n");
            var error = Assert.Throws<CsvDataException>(() => CsvRows.ReadAll<float>(path));
            Assert.Equal((3, column), (error.Line, error.Column));
            Assert.Contains($"'{bad}' is not a finite number", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void From_a_line_with_a_quote_on_the_rows_are_Seps_and_lines_are_still_counted_from_the_file_start()
    {
        // Thousands of plain lines (split by the line reader), then a quoted cell holding a line break: from there
        // on the rows are Sep's, whose line numbers must go on from the lines before.
        var text = new StringBuilder();
        var expected = new List<double>();
        int line = 0;
        for (int r = 0; r < 5_000; r++)
        {
            text.Append(r).Append(",1,2,3,4\n");
            expected.AddRange([r, 1, 2, 3, 4]);
            line++;
        }

        text.Append("5000,\"1\",2,3,\"4\n\"\n");
        line += 2;
        text.Append("5001,1,2,3,4\n");
        expected.AddRange([5001, 1, 2, 3, 4]);
        line++;
        text.Append("5002,1,oops,3,4\n");
        line++;
        string path = _directory.File("quoted.csv");
        File.WriteAllText(path, text.ToString());

        var skipped = new List<int>();
        List<double> values = Concatenate(CsvRows.ReadBlocks<double>(path, new CsvOptions { BadRows = CsvBadRows.Skip, SkippedLines = skipped }, 1_000));
        // The quoted row ("4\n" is not a number) and the bad one are skipped, each named by the line it ends on.
        Assert.Equal([5_002, line], skipped);
        Assert.Equal(expected, values);
    }

    [Theory]
    [InlineData("utf8-bom")]
    [InlineData("utf16")]
    [InlineData("quoted-header")]
    [InlineData("lone-cr")]
    [InlineData("crlf")]
    public void Byte_order_marks_quoted_headers_and_line_ends_read_as_Sep_reads_them(string kind)
    {
        string path = _directory.File($"{kind}.csv");
        string header = kind == "quoted-header" ? "\"a\",\"b, c\"" : "a,b";
        string body = kind switch
        {
            "lone-cr" => "1,2\r3,4\n5,6\n",
            "crlf" => "1,2\r\n3,4\r\n5,6",
            _ => "1,2\n3,4\n5,6\n",
        };
        Encoding encoding = kind switch
        {
            "utf8-bom" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
            "utf16" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            _ => new UTF8Encoding(false),
        };
        File.WriteAllText(path, header + "\n" + body, encoding);

        RowTable<double> table = CsvRows.Read<double>(path, new CsvOptions { HasHeader = true });
        Assert.Equal([1.0, 2, 3, 4, 5, 6], table.Values.ToArray());
        // (Sep keeps a header's quotes in its names.)
        Assert.Equal(kind == "quoted-header" ? ["\"a\"", "\"b, c\""] : ["a", "b"], table.ColumnNames);
    }

    [Fact]
    public void A_line_longer_than_the_read_buffer_and_a_line_break_split_across_two_reads_read_whole()
    {
        // The line reader reads 1 MiB at a time: a carriage return as the last byte of the first read (its line feed
        // comes with the second), and then a line of 1.2 MB, longer than the buffer.
        string path = _directory.File("long.csv");
        var text = new StringBuilder("555\r\n");
        for (int r = 1; r <= 300_000; r++)
        {
            text.Append("17\r\n");
        }

        Assert.Equal('\r', text[(1 << 20) - 1]);
        File.WriteAllText(path, text.ToString());
        (float[] single, int width) = CsvRows.ReadAll<float>(path);
        Assert.Equal(1, width);
        Assert.Equal([555f, .. Enumerable.Repeat(17f, 300_000)], single);

        // 2,000 cells of 601 characters each (read by the general parser: more digits than the fast paths take).
        const int Wide = 2_000;
        string row = string.Join(',', Enumerable.Range(0, Wide).Select(c => (c % 10).ToString(CultureInfo.InvariantCulture) + "." + new string('0', 599)));
        File.WriteAllText(path, row + "\n" + row + "\n");
        var wide = new List<float>();
        foreach (ReadOnlyMemory<float> block in CsvRows.ReadBlocks<float>(path, null, rowsPerBlock: 1))
        {
            Assert.Equal(Wide, block.Length);
            wide.AddRange(block.Span);
        }

        float[] expected = Enumerable.Range(0, Wide).Select(c => (float)(c % 10)).ToArray();
        Assert.Equal([.. expected, .. expected], wide);
    }
}
