// Two jobs for CI's check of the native sample on Parquet files, with Parquet.Net itself (not AeGen's reader):
//   dotnet run tools/ParquetCheck.cs -- write <csv> <parquet>
//     writes the CSV's numbers (no header) as a Parquet file whose columns cycle through every numeric type AeGen
//     reads (float, double, int, long, short, each plain and nullable), followed by a text column;
//   dotnet run tools/ParquetCheck.cs -- compare <scores.csv> <scores.parquet>
//     checks that a Parquet file of scores holds the CSV's scores and flags, row for row, bit for bit.
#:package Parquet.Net@6.1.0
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Parquet;
using Parquet.Schema;

return args switch
{
    ["write", string csv, string parquet] => await Write(csv, parquet),
    ["compare", string csv, string parquet] => await Compare(csv, parquet),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: write <csv> <parquet> | compare <scores.csv> <scores.parquet>");
    return 2;
}

static async Task<int> Write(string csvPath, string parquetPath)
{
    double[][] rows = File.ReadLines(csvPath).Where(line => line.Length > 0)
        .Select(line => line.Split(',').Select(cell => double.Parse(cell, CultureInfo.InvariantCulture)).ToArray()).ToArray();
    int columns = rows[0].Length;
    Type[] kinds = [typeof(float), typeof(double), typeof(int), typeof(long), typeof(short), typeof(float?), typeof(double?), typeof(int?), typeof(long?), typeof(short?)];
    var fields = new List<DataField>();
    for (int c = 0; c < columns; c++)
    {
        Type kind = kinds[c % kinds.Length];
        fields.Add(new DataField($"c{c}", Nullable.GetUnderlyingType(kind) ?? kind, isNullable: Nullable.GetUnderlyingType(kind) is not null));
    }

    var note = new DataField<string>("note");
    var schema = new ParquetSchema([.. fields, note]);
    await using (FileStream file = File.Create(parquetPath))
    await using (ParquetWriter writer = await ParquetWriter.CreateAsync(schema, file))
    {
        // Two row groups, so that a reader must go from one to the next.
        int half = rows.Length / 2;
        foreach ((int first, int count) in new[] { (0, half), (half, rows.Length - half) })
        {
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            for (int c = 0; c < columns; c++)
            {
                double[] column = rows.Skip(first).Take(count).Select(row => row[c]).ToArray();
                await WriteColumn(group, fields[c], column);
            }

            await group.WriteAsync(note, Enumerable.Range(first, count).Select(r => $"row {r}").ToArray());
        }
    }

    Console.WriteLine($"{parquetPath}: {rows.Length} rows of {columns} numeric columns (every numeric type, plain and nullable) and a text column");
    return 0;
}

static Task WriteColumn(ParquetRowGroupWriter group, DataField field, double[] values)
{
    Type type = field.ClrType;
    return type == typeof(float) ? Typed(group, field, values.Select(v => (float)v).ToArray())
        : type == typeof(double) ? Typed(group, field, values)
        : type == typeof(int) ? Typed(group, field, values.Select(v => checked((int)v)).ToArray())
        : type == typeof(long) ? Typed(group, field, values.Select(v => checked((long)v)).ToArray())
        : Typed(group, field, values.Select(v => checked((short)v)).ToArray());
}

static Task Typed<T>(ParquetRowGroupWriter group, DataField field, T[] column)
    where T : struct =>
    field.IsNullable
        ? group.WriteAsync<T>(field, column.Select(v => (T?)v).ToArray())
        : group.WriteAsync<T>(field, column);

static async Task<int> Compare(string csvPath, string parquetPath)
{
    string[] lines = File.ReadAllLines(csvPath);
    await using ParquetReader reader = await ParquetReader.CreateAsync(parquetPath);
    DataField[] fields = reader.Schema.GetDataFields();
    if (fields.Length != 2 || fields[0].Name != "score" || fields[1].Name != "anomalous")
    {
        Console.Error.WriteLine($"{parquetPath}: columns {string.Join(", ", fields.Select(f => f.Name))}, expected score and anomalous");
        return 1;
    }

    var scores = new List<float>();
    var flags = new List<bool>();
    for (int g = 0; g < reader.RowGroupCount; g++)
    {
        using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
        var groupScores = new float[group.RowCount];
        var groupFlags = new bool[group.RowCount];
        await group.ReadAsync<float>(fields[0], groupScores);
        await group.ReadAsync<bool>(fields[1], groupFlags);
        scores.AddRange(groupScores);
        flags.AddRange(groupFlags);
    }

    if (scores.Count != lines.Length - 1)
    {
        Console.Error.WriteLine($"{parquetPath} holds {scores.Count} scores, {csvPath} {lines.Length - 1}");
        return 1;
    }

    for (int r = 0; r < scores.Count; r++)
    {
        string[] cells = lines[r + 1].Split(',');
        float expected = float.Parse(cells[1], CultureInfo.InvariantCulture);
        if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(scores[r]) || (cells[2] == "1") != flags[r])
        {
            Console.Error.WriteLine($"row {r}: {csvPath} has {cells[1]},{cells[2]}, {parquetPath} {scores[r]:R},{flags[r]}");
            return 1;
        }
    }

    Console.WriteLine($"{parquetPath}: the {scores.Count} scores and flags of {csvPath}, bit for bit");
    return 0;
}
