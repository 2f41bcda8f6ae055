using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;
using Xunit.Abstractions;

namespace AeGen.Tests.Checkpoints;

/// <summary>
/// Random damage to checkpoints: every load either succeeds with exactly the saved parameters or throws
/// <see cref="CheckpointException"/> and leaves the model exactly as it was. Any other exception fails the test.
/// </summary>
public sealed class CorruptionPropertyTests(ITestOutputHelper output) : IDisposable
{
    private const int Trials = 600;
    private static readonly byte[] HeaderCharacters = "{}[]\",:0123456789 abdefknprstwxF_-.e"u8.ToArray();
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Every_corrupted_checkpoint_loads_identically_or_throws_the_documented_exception()
    {
        var saved = new F16x3(seed: 5);
        TestData.Perturb(saved.Parameters, 8);
        saved.Scaler = FeatureScaler.Fit(ScalerKind.MinMax, TestData.Rows<float>(10, 16, 1), 16);
        string path = _directory.File("model.safetensors");
        saved.Save(path);
        byte[] original = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);

        var others = new List<byte[]>();
        foreach (Action<string> save in new Action<string>[] { p => new F8x3().Save(p), p => new D16x3().Save(p), p => new F2x2().Save(p), p => new F130x20().Save(p) })
        {
            string other = _directory.File("other.safetensors");
            save(other);
            others.Add(File.ReadAllBytes(other));
        }

        var random = new SplitMix64(2024);
        var outcomes = new Dictionary<string, (int Loaded, int Refused)>();
        for (int trial = 0; trial < Trials; trial++)
        {
            (string kind, byte[] corrupted) = Corrupt(original, headerEnd, others, ref random);
            string target = _directory.File("corrupted.safetensors");
            File.WriteAllBytes(target, corrupted);

            var model = new F16x3(seed: trial);
            float[] before = model.Parameters.ToArray();
            FeatureScaler? scalerBefore = model.Scaler;
            bool loaded;
            try
            {
                model.Load(target);
                loaded = true;
            }
            catch (CheckpointException error)
            {
                loaded = false;
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
            }

            if (loaded)
            {
                Assert.True(saved.Parameters.SequenceEqual(model.Parameters), $"trial {trial} ({kind}) loaded different parameters");
                FeatureScaler scaler = model.Scaler ?? throw new Xunit.Sdk.XunitException($"trial {trial} ({kind}) lost the scaler");
                Assert.Equal(saved.Scaler!.Shift.ToArray(), scaler.Shift.ToArray());
                Assert.Equal(saved.Scaler!.Divisor.ToArray(), scaler.Divisor.ToArray());
            }
            else
            {
                Assert.True(before.AsSpan().SequenceEqual(model.Parameters), $"trial {trial} ({kind}) changed the parameters before refusing");
                Assert.Same(scalerBefore, model.Scaler);
            }

            outcomes.TryGetValue(kind, out var counts);
            outcomes[kind] = loaded ? (counts.Loaded + 1, counts.Refused) : (counts.Loaded, counts.Refused + 1);
        }

        foreach (var (kind, (ok, refused)) in outcomes.OrderBy(o => o.Key))
        {
            output.WriteLine($"{kind}: {ok} loaded identically, {refused} refused");
        }

        // The generator reached every kind of damage, and damage was actually caught.
        Assert.Equal(7, outcomes.Count);
        Assert.All(new[] { "truncate", "flip data", "other model" }, k => Assert.Equal(0, outcomes[k].Loaded));
        Assert.True(outcomes.Values.Sum(o => o.Refused) > Trials * 3 / 4);
    }

    private static (string Kind, byte[] File) Corrupt(byte[] original, int headerEnd, List<byte[]> others, ref SplitMix64 random)
    {
        byte[] file = (byte[])original.Clone();
        switch (random.NextInt(7))
        {
            case 0:
                return ("truncate", file[..random.NextInt(file.Length)]);
            case 1:
            {
                int flips = 1 + random.NextInt(3);
                for (int f = 0; f < flips; f++)
                {
                    file[headerEnd + random.NextInt(file.Length - headerEnd)] ^= (byte)(1 << random.NextInt(8));
                }

                return ("flip data", file);
            }

            case 2:
                file[8 + random.NextInt(headerEnd - 8)] ^= (byte)(1 << random.NextInt(8));
                return ("flip header", file);
            case 3:
                file[8 + random.NextInt(headerEnd - 8)] = HeaderCharacters[random.NextInt(HeaderCharacters.Length)];
                return ("edit header", file);
            case 4:
                file[random.NextInt(8)] = (byte)random.NextInt(256);
                return ("edit header length", file);
            case 5:
            {
                // Insert or remove a few bytes inside the header, shifting everything after them.
                int at = 8 + random.NextInt(headerEnd - 8);
                int count = 1 + random.NextInt(4);
                if (random.NextInt(2) == 0)
                {
                    var inserted = new byte[count];
                    for (int i = 0; i < count; i++)
                    {
                        inserted[i] = HeaderCharacters[random.NextInt(HeaderCharacters.Length)];
                    }

                    return ("shift header", [.. file[..at], .. inserted, .. file[at..]]);
                }

                return ("shift header", [.. file[..at], .. file[Math.Min(at + count, file.Length)..]]);
            }

            default:
                return ("other model", others[random.NextInt(others.Count)]);
        }
    }
}
