using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Checkpoints;

/// <summary>The safetensors files Save writes, what Load accepts, and what it refuses without touching the model.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Float_and_double_models_round_trip_exactly()
    {
        var model = new F64x16(seed: 3);
        TestData.Perturb(model.Parameters, 1);
        string path = _directory.File("f.safetensors");
        model.Save(path);
        var again = new F64x16(seed: 7);
        again.Load(path);
        Assert.Equal(model.Parameters.ToArray(), again.Parameters.ToArray());

        var precise = new D16x3(seed: 3);
        TestData.Perturb(precise.Parameters, 2);
        precise.Save(_directory.File("d.safetensors"));
        var loaded = new D16x3();
        loaded.Load(_directory.File("d.safetensors"));
        Assert.Equal(precise.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void The_file_is_plain_safetensors_that_a_generic_reader_understands()
    {
        var model = new F8x3(seed: 1);
        TestData.Perturb(model.Parameters, 5);
        string path = _directory.File("m.safetensors");
        model.Save(path);
        byte[] file = File.ReadAllBytes(path);

        // Read as the safetensors specification describes, with a DOM parser rather than AeGen's reader.
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, (8 + headerLength) % 8);
        using JsonDocument header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        JsonElement root = header.RootElement;
        Assert.Equal(["__metadata__", "w1", "b1", "w2", "b2", "w3", "b3"], root.EnumerateObject().Select(p => p.Name));
        JsonElement metadata = root.GetProperty("__metadata__");
        Assert.Equal("8", metadata.GetProperty("n").GetString());
        Assert.Equal("3", metadata.GetProperty("k").GetString());
        Assert.Equal("float32", metadata.GetProperty("precision").GetString());
        Assert.Equal("none", metadata.GetProperty("scaler").GetString());
        Assert.Equal("0.1.0", metadata.GetProperty("library_version").GetString());

        int[][] shapes = [[8, 3], [3], [3, 8], [8], [8, 8], [8]];
        string[] names = ["w1", "b1", "w2", "b2", "w3", "b3"];
        int offset = 0;
        float[] parameters = model.Parameters.ToArray();
        int index = 0;
        int dataStart = 8 + (int)headerLength;
        for (int t = 0; t < names.Length; t++)
        {
            JsonElement tensor = root.GetProperty(names[t]);
            Assert.Equal("F32", tensor.GetProperty("dtype").GetString());
            Assert.Equal(shapes[t], tensor.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            int count = shapes[t].Aggregate(1, (a, b) => a * b);
            Assert.Equal([offset, offset + (4 * count)], tensor.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
            for (int i = 0; i < count; i++)
            {
                float value = BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(dataStart + offset + (4 * i)));
                Assert.Equal(parameters[index++], value);
            }

            offset += 4 * count;
        }

        Assert.Equal(dataStart + offset, file.Length);
    }

    [Fact]
    public void A_fitted_scaler_is_saved_and_restored_with_the_model()
    {
        var model = new D8x3();
        double[] rows = TestData.Rows<double>(40, 8, 3).Select((v, i) => (v * (i % 8)) + i % 5).ToArray();
        model.Fit(rows, new TrainingOptions { Epochs = 2, BatchSize = 8, Scaling = ScalerKind.Standard });
        FeatureScaler scaler = model.Scaler!;
        string path = _directory.File("s.safetensors");
        model.Save(path);

        var loaded = new D8x3();
        loaded.Load(path);
        FeatureScaler restored = loaded.Scaler!;
        Assert.Equal(ScalerKind.Standard, restored.Kind);
        Assert.Equal(scaler.Shift.ToArray(), restored.Shift.ToArray());
        Assert.Equal(scaler.Divisor.ToArray(), restored.Divisor.ToArray());

        // A checkpoint without a scaler detaches the one the model had.
        new D8x3().Save(path);
        loaded.Load(path);
        Assert.Null(loaded.Scaler);
    }

    [Fact]
    public void Saving_replaces_the_previous_file_and_leaves_no_temporary_files()
    {
        string path = _directory.File("c.safetensors");
        new F8x3(seed: 1).Save(path);
        var second = new F8x3(seed: 2);
        second.Save(path);
        Assert.Equal(["c.safetensors"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
        var loaded = new F8x3();
        loaded.Load(path);
        Assert.Equal(second.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void A_failed_save_keeps_the_previous_checkpoint()
    {
        string path = _directory.File("keep.safetensors");
        var first = new F8x3(seed: 1);
        first.Save(path);
        byte[] before = File.ReadAllBytes(path);

        // A directory named like the temporary file cannot be opened as a file; here the rename target is a directory instead.
        string blocked = _directory.File("blocked");
        Directory.CreateDirectory(blocked);
        Assert.ThrowsAny<IOException>(() => new F8x3(seed: 2).Save(blocked));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["keep.safetensors"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Saving_into_a_missing_folder_names_the_path_given()
    {
        string path = Path.Combine(_directory.Path, "no-such-folder", "m.safetensors");
        var error = Assert.Throws<DirectoryNotFoundException>(() => new F8x3().Save(path));
        Assert.Contains("'" + path + "'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_directory.Path, "no-such-folder"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".saving", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void A_save_killed_midway_leaves_one_temporary_that_the_next_save_takes_over()
    {
        string path = _directory.File("k.safetensors");
        string temporary = AtomicFile.TemporaryPath(path);
        Assert.Equal(_directory.Path, Path.GetDirectoryName(temporary));

        // What a killed Save leaves behind: a partial temporary beside the target, and no target.
        File.WriteAllBytes(temporary, new byte[] { 1, 2, 3 });
        var model = new F8x3(seed: 4);
        model.Save(path);
        Assert.Equal(["k.safetensors"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
        var loaded = new F8x3();
        loaded.Load(path);
        Assert.Equal(model.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void A_save_while_another_holds_the_temporary_fails_without_touching_either_file()
    {
        string path = _directory.File("busy.safetensors");
        new F8x3(seed: 1).Save(path);
        byte[] before = File.ReadAllBytes(path);
        byte[] partial = [9, 8, 7, 6];
        using (var other = new FileStream(AtomicFile.TemporaryPath(path), FileMode.Create, FileAccess.Write, FileShare.None))
        {
            other.Write(partial);
            other.Flush();
            var error = Assert.Throws<IOException>(() => new F8x3(seed: 2).Save(path));
            Assert.Contains("'" + path + "'", error.Message, StringComparison.Ordinal);
            Assert.Equal(partial.Length, other.Length);
        }

        Assert.Equal(partial, File.ReadAllBytes(AtomicFile.TemporaryPath(path)));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void The_folder_is_flushed_after_the_rename_and_a_missing_folder_is_an_error()
    {
        AtomicFile.FlushDirectory(_directory.Path);
        var error = Assert.Throws<IOException>(() => AtomicFile.FlushDirectory(Path.Combine(_directory.Path, "absent")));
        Assert.Contains("absent", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "other shape", "n = 8, but this model has n = 64" },
        { "other precision", "float64, but this model computes in float32" },
        { "truncated", "data section is" },
        { "empty", "too short for the 8-byte header length" },
        { "huge header length", "header length is" },
        { "not json", "not valid JSON" },
        { "NaN", "tensor 'b2' element 5 is NaN" },
        { "flipped data", "do not match their checksum" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_bad_file_is_refused_with_a_message_saying_why_and_the_model_is_unchanged(string kind, string expected)
    {
        string path = _directory.File("bad.safetensors");
        var good = new F64x16(seed: 1);
        good.Save(path);
        byte[] file = File.ReadAllBytes(path);
        int dataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        switch (kind)
        {
            case "other shape":
                new F8x3().Save(path);
                break;
            case "other precision":
                new D64x16().Save(path);
                break;
            case "truncated":
                File.WriteAllBytes(path, file[..^4]);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "huge header length":
                BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
                File.WriteAllBytes(path, file);
                break;
            case "not json":
                file[8] = (byte)'#';
                File.WriteAllBytes(path, file);
                break;
            case "NaN":
                var broken = new F64x16(seed: 1);
                broken.B2[5] = float.NaN;
                broken.Save(path);
                break;
            default:
                file[dataStart + 100] ^= 0x10;
                File.WriteAllBytes(path, file);
                break;
        }

        var model = new F64x16(seed: 9);
        float[] before = model.Parameters.ToArray();
        CheckpointException error = Assert.Throws<CheckpointException>(() => model.Load(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("bad.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Parameters.ToArray());
    }

    [Fact]
    public void A_file_whose_tensors_are_stored_in_another_order_loads()
    {
        // Other writers may order the data differently; the header's offsets decide. Swap b2 and b3 (both n floats).
        var model = new F8x3(seed: 4);
        TestData.Perturb(model.Parameters, 3);
        string path = _directory.File("order.safetensors");
        byte[] file = SafetensorsWriterForTests(model, path);
        string json = Encoding.UTF8.GetString(file, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        var document = JsonDocument.Parse(json.TrimEnd());
        int b2 = document.RootElement.GetProperty("b2").GetProperty("data_offsets")[0].GetInt32();
        int b3 = document.RootElement.GetProperty("b3").GetProperty("data_offsets")[0].GetInt32();
        string swapped = json
            .Replace($"\"b2\":{{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[{b2},{b2 + 32}]", "\"b2\":SWAP", StringComparison.Ordinal)
            .Replace($"\"b3\":{{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[{b3},{b3 + 32}]", $"\"b3\":{{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[{b2},{b2 + 32}]", StringComparison.Ordinal)
            .Replace("\"b2\":SWAP", $"\"b2\":{{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[{b3},{b3 + 32}]", StringComparison.Ordinal);
        Assert.NotEqual(json, swapped);

        // Move the bytes to match and drop the checksum (it covers the data in file order, which changed).
        int start = 8 + json.Length;
        byte[] data = file[start..];
        byte[] b2Bytes = data[b2..(b2 + 32)], b3Bytes = data[b3..(b3 + 32)];
        b3Bytes.CopyTo(data, b2);
        b2Bytes.CopyTo(data, b3);
        string header = System.Text.RegularExpressions.Regex.Replace(swapped, ",\"checksum_fnv1a64\":\"[0-9a-f]{16}\"", string.Empty);
        byte[] headerBytes = Encoding.UTF8.GetBytes(header);
        var rebuilt = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(rebuilt, (ulong)headerBytes.Length);
        headerBytes.CopyTo(rebuilt, 8);
        data.CopyTo(rebuilt, 8 + headerBytes.Length);
        File.WriteAllBytes(path, rebuilt);

        var loaded = new F8x3();
        loaded.Load(path);
        Assert.Equal(model.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    private static byte[] SafetensorsWriterForTests(F8x3 model, string path)
    {
        model.Save(path);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void A_trained_model_saved_and_loaded_into_a_new_instance_scores_identically()
    {
        (float[] train, float[] test) = AeGen.Tests.Training.DigitsData.Load();
        var model = new F64x16();
        model.Fit(train, new TrainingOptions { Epochs = 3, BatchSize = 64, Optimizer = new Adam(learningRate: 0.01), Scaling = ScalerKind.MinMax });
        string path = _directory.File("digits.safetensors");
        model.Save(path);

        var again = new F64x16(seed: 42);
        again.Load(path);
        Assert.Equal(model.Score(test), again.Score(test));
        var first = new float[test.Length];
        var second = new float[test.Length];
        model.Reconstruct(test, first);
        again.Reconstruct(test, second);
        Assert.Equal(first, second);
    }
}
