using System;
using System.IO;
using System.Linq;
using AeGen.Tests.Checkpoints;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Training;

/// <summary>
/// Online training: steps on rows as they arrive, and a checkpoint that holds the optimizer's state, so that N steps,
/// save, resume with fresh objects and N more steps give the bits of 2N steps without stopping.
/// </summary>
public sealed class OnlineTrainerTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string> Cases => new()
    {
        { "unrolled", "adam" }, { "unrolled", "sgd" }, { "dense", "adamw" }, { "dense", "sgd" }, { "double", "adam" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resuming_from_a_checkpoint_gives_the_bits_of_never_stopping(string kind, string rule)
    {
        const int stepsEach = 6;
        if (kind == "double")
        {
            Check<double>(() => new D8x3(seed: 5), rule, stepsEach);
        }
        else
        {
            Check<float>(kind == "dense" ? () => new F64x16(seed: 5) : () => new F8x3(seed: 5), rule, stepsEach);
        }
    }

    private void Check<T>(Func<IAutoencoder<T>> make, string rule, int stepsEach)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        IAutoencoder<T> first = make();
        int n = first.Inputs;
        T[][] batches = Enumerable.Range(0, 2 * stepsEach).Select(b => TestData.Rows<T>(16 + b, n, (ulong)(b + 1)).Select(v => v * T.CreateChecked(30)).ToArray()).ToArray();
        first.Scaler = FeatureScaler.Fit<T>(ScalerKind.MinMax, batches[0], n);

        // 2N steps without stopping.
        IAutoencoder<T> straight = make();
        straight.Scaler = first.Scaler;
        using (AutoencoderTrainer<T> trainer = straight.CreateTrainer(Make(rule)))
        {
            foreach (T[] batch in batches)
            {
                trainer.Step(batch);
            }
        }

        // N steps, save, then a new model and a new trainer from the file, and N more.
        string path = _directory.File("online.safetensors");
        using (AutoencoderTrainer<T> trainer = first.CreateTrainer(Make(rule)))
        {
            foreach (T[] batch in batches[..stepsEach])
            {
                trainer.Step(batch);
            }

            trainer.Save(path);
        }

        IAutoencoder<T> resumed = make();
        using (AutoencoderTrainer<T> trainer = AutoencoderTrainer<T>.Resume(resumed, Make(rule), path))
        {
            Assert.Equal(stepsEach, trainer.Steps);
            Assert.Equal(first.Scaler!.Shift.ToArray(), resumed.Scaler!.Shift.ToArray());
            foreach (T[] batch in batches[stepsEach..])
            {
                trainer.Step(batch);
            }

            Assert.Equal(2 * stepsEach, trainer.Steps);
        }

        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());

        // The same file is a checkpoint that model.Load reads.
        IAutoencoder<T> loaded = make();
        loaded.Load(path);
        Assert.Equal(first.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Online_denoising_resumes_with_the_noise_it_would_have_drawn(bool dense)
    {
        Func<IAutoencoder<float>> make = dense ? () => new F64x16(seed: 2) : () => new F8x3(seed: 2);
        int n = make().Inputs;
        float[][] batches = Enumerable.Range(0, 8).Select(b => TestData.Rows<float>(20, n, (ulong)(b + 40))).ToArray();
        float[] Train(bool stop, InputNoise? noise)
        {
            IAutoencoder<float> model = make();
            string path = _directory.File($"denoising-{dense}-{stop}.safetensors");
            var trainer = model.CreateTrainer(new Adam(0.01));
            trainer.InputNoise = noise;
            trainer.NoiseSeed = 9;
            for (int b = 0; b < batches.Length; b++)
            {
                if (stop && b == 4)
                {
                    trainer.Save(path);
                    trainer.Dispose();
                    model = make();
                    trainer = AutoencoderTrainer<float>.Resume(model, new Adam(0.01), path);
                    trainer.InputNoise = noise;
                    trainer.NoiseSeed = 9;
                }

                trainer.Step(batches[b]);
            }

            trainer.Dispose();
            return model.Parameters.ToArray();
        }

        InputNoise masking = InputNoise.Masking(0.3);
        float[] straight = Train(stop: false, masking);
        Assert.Equal(straight, Train(stop: true, masking));
        Assert.NotEqual(straight, Train(stop: false, null));
    }

    private static Optimizer Make(string rule) => rule switch
    {
        "adam" => new Adam(0.01),
        "adamw" => new AdamW(0.01, weightDecay: 0.05),
        _ => new Sgd(0.05, momentum: 0.9, nesterov: true),
    };

    [Fact]
    public void A_checkpoint_of_another_optimizer_or_of_a_model_alone_is_refused_and_the_model_left_as_it_was()
    {
        var model = new F8x3(seed: 2);
        float[] rows = TestData.Rows<float>(20, 8, 3);
        string trainerPath = _directory.File("trainer.safetensors"), modelPath = _directory.File("model.safetensors");
        using (AutoencoderTrainer<float> trainer = model.CreateTrainer(new Adam(0.01)))
        {
            trainer.Step(rows);
            trainer.Save(trainerPath);
        }

        model.Save(modelPath);
        var other = new F8x3(seed: 9);
        float[] before = other.Parameters.ToArray();

        var rate = Assert.Throws<CheckpointException>(() => AutoencoderTrainer<float>.Resume(other, new Adam(0.02), trainerPath));
        Assert.Contains("with adam learning_rate=0.02", rate.Message, StringComparison.Ordinal);
        Assert.Contains("the state in it is of adam learning_rate=0.01", rate.Message, StringComparison.Ordinal);
        var kind = Assert.Throws<CheckpointException>(() => AutoencoderTrainer<float>.Resume(other, new Sgd(0.01), trainerPath));
        Assert.Contains("is of adam", kind.Message, StringComparison.Ordinal);
        var plain = Assert.Throws<CheckpointException>(() => AutoencoderTrainer<float>.Resume(other, new Adam(0.01), modelPath));
        Assert.Contains("holds a model but no optimizer state", plain.Message, StringComparison.Ordinal);
        Assert.Equal(before, other.Parameters.ToArray());

        // A damaged optimizer buffer is caught by the checksum, as damaged weights are.
        byte[] file = File.ReadAllBytes(trainerPath);
        file[^3] ^= 0x40;
        File.WriteAllBytes(trainerPath, file);
        Assert.Contains("checksum", Assert.Throws<CheckpointException>(() => AutoencoderTrainer<float>.Resume(other, new Adam(0.01), trainerPath)).Message, StringComparison.Ordinal);
        Assert.Equal(before, other.Parameters.ToArray());
    }

    [Fact]
    public void Bad_rows_are_refused_before_anything_changes_and_steps_allocate_nothing()
    {
        var model = new F64x16(seed: 3);
        using AutoencoderTrainer<float> trainer = model.CreateTrainer(new Adam(0.01), maxDegreeOfParallelism: 1);
        float[] rows = TestData.Rows<float>(32, 64, 4);
        trainer.Step(rows);
        float[] before = model.Parameters.ToArray();

        float[] bad = rows.ToArray();
        bad[64 + 5] = float.NaN;
        var nan = Assert.Throws<ArgumentException>(() => trainer.Step(bad));
        Assert.Contains("row 2, column 6 (both counting from 1) is NaN", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => trainer.Step(rows.AsSpan(0, 63)));
        Assert.Throws<ArgumentException>(() => trainer.Step(ReadOnlySpan<float>.Empty));
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(1, trainer.Steps);

        for (int i = 0; i < 3; i++)
        {
            trainer.Step(rows);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            trainer.Step(rows);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }
}
