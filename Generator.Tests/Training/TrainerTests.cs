using System;
using System.Linq;
using System.Threading;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Training;

/// <summary>Batching, shuffling, stopping, restoring and determinism of Fit.</summary>
public class TrainerTests
{
    /// <summary>Rows 0..m−1 whose values identify them: row r is (r, r + 0.5).</summary>
    private static double[] NumberedRows(int m) => Enumerable.Range(0, m).SelectMany(r => new[] { r, r + 0.5 }).ToArray();

    [Fact]
    public void Every_epoch_visits_every_row_once_in_full_batches_and_one_partial_batch()
    {
        var model = new ScriptedModel();
        model.Fit(NumberedRows(10), new TrainingOptions { Epochs = 3, BatchSize = 4, Optimizer = new Sgd(0.1), Seed = 5 });

        Assert.Equal(9, model.Batches.Count);
        Assert.Equal([8, 8, 4, 8, 8, 4, 8, 8, 4], model.Batches.Select(b => b.Length));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            double[] seen = model.Batches.Skip(epoch * 3).Take(3).SelectMany(b => b).Where((_, i) => i % 2 == 0).ToArray();
            Assert.Equal(Enumerable.Range(0, 10).Select(r => (double)r), seen.Order());
        }

        // Shuffled: the epochs do not all see the identity order.
        double[][] orders = Enumerable.Range(0, 3).Select(e => model.Batches.Skip(e * 3).Take(3).SelectMany(b => b).ToArray()).ToArray();
        Assert.False(orders.All(o => o.SequenceEqual(NumberedRows(10))));
        Assert.NotEqual(orders[0], orders[1]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_order_and_another_seed_another()
    {
        ScriptedModel Run(int seed)
        {
            var model = new ScriptedModel();
            model.Fit(NumberedRows(20), new TrainingOptions { Epochs = 2, BatchSize = 5, Optimizer = new Sgd(0.1), Seed = seed });
            return model;
        }

        ScriptedModel a = Run(1), b = Run(1), c = Run(2);
        Assert.Equal(a.Batches.SelectMany(x => x), b.Batches.SelectMany(x => x));
        Assert.NotEqual(a.Batches.SelectMany(x => x), c.Batches.SelectMany(x => x));
    }

    [Fact]
    public void Sgd_on_the_quadratic_moves_each_parameter_by_the_known_factor_per_step()
    {
        // θ − ½ shrinks by (1 − η) each step: 3 epochs of 3 batches = 9 steps from θ = 0.
        var model = new ScriptedModel();
        TrainingReport report = model.Fit(NumberedRows(10), new TrainingOptions { Epochs = 3, BatchSize = 4, Optimizer = new Sgd(0.1) });
        double expected = 0.5 - (0.5 * Math.Pow(0.9, 9));
        Assert.All(model.Parameters.ToArray(), p => Assert.Equal(expected, p, 14));
        Assert.Equal(StopReason.Completed, report.StopReason);
        Assert.Equal(3, report.Epochs.Count);
    }

    [Fact]
    public void Early_stopping_restores_the_parameters_of_the_best_epoch()
    {
        var model = new ScriptedModel();
        foreach (double cost in new[] { 3.0, 2.0, 2.5, 2.6, 2.7, 1.0 })
        {
            model.ValidationCosts.Enqueue(cost);
        }

        var progress = new ImmediateProgress();
        TrainingReport report = model.Fit(NumberedRows(4), new TrainingOptions
        {
            Epochs = 10, BatchSize = 4, Optimizer = new Sgd(0.1), Patience = 2, ValidationRows = new double[] { 0, 0 }, Progress = progress,
        });

        Assert.Equal(StopReason.EarlyStopped, report.StopReason);
        Assert.Equal(4, report.Epochs.Count);
        Assert.Equal(2, report.BestEpoch);
        Assert.Equal(2.0, report.BestCost);
        Assert.Equal(2.5, report.Epochs[2].ValidationCost);
        double afterTwoSteps = 0.5 - (0.5 * 0.9 * 0.9);
        Assert.All(model.Parameters.ToArray(), p => Assert.Equal(afterTwoSteps, p, 14));
        Assert.Equal(report.Epochs, progress.Reports);
        Assert.Contains("epoch 2", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_finite_cost_stops_and_restores_the_parameters_of_the_last_finite_epoch()
    {
        // Two batches per epoch; the 6th Backward call (epoch 3, batch 2) returns NaN.
        var model = new ScriptedModel { NaNAtCall = 5 };
        TrainingReport report = model.Fit(NumberedRows(8), new TrainingOptions { Epochs = 5, BatchSize = 4, Optimizer = new Sgd(0.1) });

        Assert.Equal(StopReason.NonFinite, report.StopReason);
        Assert.Equal(2, report.Epochs.Count);
        double afterFourSteps = 0.5 - (0.5 * Math.Pow(0.9, 4));
        Assert.All(model.Parameters.ToArray(), p => Assert.Equal(afterFourSteps, p, 14));
        Assert.Contains("NaN", report.Message, StringComparison.Ordinal);
        Assert.Contains("end of epoch 2", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diverging_real_model_reports_non_finite_and_keeps_finite_parameters()
    {
        var model = new F16x3();
        float[] start = model.Parameters.ToArray();
        float[] rows = TestData.Rows<float>(64, F16x3.Inputs, 3);
        TrainingReport report = model.Fit(rows, new TrainingOptions { Epochs = 20, BatchSize = 8, Optimizer = new Sgd(1e30) });

        Assert.Equal(StopReason.NonFinite, report.StopReason);
        Assert.True(model.Parameters.ToArray().All(float.IsFinite));
        if (report.Epochs.Count == 0)
        {
            Assert.Equal(start, model.Parameters.ToArray());
        }
    }

    [Fact]
    public void Cancelling_leaves_the_best_parameters_so_far()
    {
        using var cancel = new CancellationTokenSource();
        var model = new ScriptedModel();
        foreach (double cost in new[] { 5.0, 1.0, 3.0 })
        {
            model.ValidationCosts.Enqueue(cost);
        }

        var progress = new ImmediateProgress(r =>
        {
            if (r.Epoch == 3)
            {
                cancel.Cancel();
            }
        });
        TrainingReport report = model.Fit(NumberedRows(4), new TrainingOptions
        {
            Epochs = 10, BatchSize = 2, Optimizer = new Sgd(0.1), ValidationRows = new double[] { 0, 0 },
            Progress = progress, CancellationToken = cancel.Token,
        });

        Assert.Equal(StopReason.Cancelled, report.StopReason);
        Assert.Equal(3, report.Epochs.Count);
        Assert.Equal(2, report.BestEpoch);
        double afterFourSteps = 0.5 - (0.5 * Math.Pow(0.9, 4));
        Assert.All(model.Parameters.ToArray(), p => Assert.Equal(afterFourSteps, p, 14));
    }

    [Fact]
    public void Cancelling_before_the_first_epoch_keeps_the_starting_parameters()
    {
        var model = new ScriptedModel();
        model.Initialize(3);
        TrainingReport report = model.Fit(NumberedRows(4), new TrainingOptions
        {
            Epochs = 2, BatchSize = 2, Optimizer = new Sgd(0.1), CancellationToken = new CancellationToken(canceled: true),
        });

        Assert.Equal(StopReason.Cancelled, report.StopReason);
        Assert.Empty(report.Epochs);
        Assert.All(model.Parameters.ToArray(), p => Assert.Equal(3.0, p));
    }

    [Fact]
    public void Schedules_set_the_rate_of_each_epoch()
    {
        var step = new ScriptedModel();
        TrainingReport stepped = step.Fit(NumberedRows(2), new TrainingOptions
        {
            Epochs = 5, BatchSize = 2, Optimizer = new Sgd(0.4), Schedule = new StepDecaySchedule(2, 0.5),
        });
        Assert.Equal([0.4, 0.4, 0.2, 0.2, 0.1], stepped.Epochs.Select(e => e.LearningRate));

        // Each step multiplies θ − ½ by (1 − η_e).
        double expected = 0.5 - (0.5 * 0.6 * 0.6 * 0.8 * 0.8 * 0.9);
        Assert.All(step.Parameters.ToArray(), p => Assert.Equal(expected, p, 14));

        TrainingReport cosine = new ScriptedModel().Fit(NumberedRows(2), new TrainingOptions
        {
            Epochs = 4, BatchSize = 2, Optimizer = new Sgd(1.0), Schedule = new CosineAnnealingSchedule(0.2),
        });
        // 0.2 + 0.8·(1 + cos(πe/4))/2 for e = 0..3.
        double[] rates = [1.0, 0.2 + (0.4 * (1 + (Math.Sqrt(2) / 2))), 0.6, 0.2 + (0.4 * (1 - (Math.Sqrt(2) / 2)))];
        Assert.Equal(rates, cosine.Epochs.Select(e => e.LearningRate).ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Sharded_gradients_match_one_backward_pass_and_do_not_depend_on_the_thread_count()
    {
        var model = new D64x16();
        TestData.Perturb(model.Parameters, 4);
        double[] rows = TestData.Rows<double>(1200, 64, 5);
        // A batch of 1000 of the 1200 rows, in shuffled order: the shards gather their own rows.
        int[] order = [.. Enumerable.Range(0, 1200).OrderBy(i => (i * 7919) % 1201).Take(1000)];
        double[] batch = [.. order.SelectMany(i => rows.AsSpan(i * 64, 64).ToArray())];
        var direct = new double[D64x16.ParameterCount];
        double directCost = model.Backward(batch, direct);

        using var one = new ShardedGradient<double>(model, 1000, 1);
        using var two = new ShardedGradient<double>(model, 1000, 2);
        var g1 = new double[D64x16.ParameterCount];
        var g2 = new double[D64x16.ParameterCount];
        double c1 = one.Compute(rows, order, g1);
        double c2 = two.Compute(rows, order, g2);

        Assert.Equal(c1, c2);
        Assert.Equal(g1, g2);
        Assert.Equal(directCost, c1, 1e-12);
        for (int i = 0; i < direct.Length; i++)
        {
            Assert.Equal(direct[i], g1[i], 1e-12);
        }
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_parameters_whatever_the_parallelism()
    {
        float[] rows = TestData.Rows<float>(700, 64, 6);
        float[] Train(int threads)
        {
            var model = new F64x16(seed: 2);
            model.Fit(rows, new TrainingOptions { Epochs = 3, BatchSize = 300, Optimizer = new Adam(0.01), Seed = 9, MaxDegreeOfParallelism = threads });
            return model.Parameters.ToArray();
        }

        float[] single = Train(1);
        Assert.Equal(single, Train(2));
        Assert.Equal(single, Train(-1));
        Assert.NotEqual(new F64x16(seed: 2).Parameters.ToArray(), single);
    }

    [Fact]
    public void A_batch_of_one_shard_shares_its_products_among_threads_and_still_gives_the_same_bits()
    {
        // 200 rows are one shard; at 1024×256 the model's own Backward splits every large product between threads.
        float[] rows = TestData.Rows<float>(400, 1024, 7);
        float[] Train(int threads)
        {
            var model = new F1024x256(seed: 3);
            model.Fit(rows, new TrainingOptions { Epochs = 2, BatchSize = 200, Optimizer = new Adam(0.001), Seed = 4, MaxDegreeOfParallelism = threads });
            return model.Parameters.ToArray();
        }

        float[] single = Train(1);
        Assert.Equal(single, Train(2));
        Assert.NotEqual(new F1024x256(seed: 3).Parameters.ToArray(), single);
    }

    [Fact]
    public void A_thread_count_that_is_neither_minus_one_nor_positive_is_refused()
    {
        var model = new F130x20();
        float[] x = TestData.Rows<float>(3, 130, 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Backward(x, new float[F130x20.ParameterCount], 0));
        Assert.Contains("must be -1 (one thread per core) or a positive number of threads, but it is 0", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new F8x3().Backward(new float[8], new float[F8x3.ParameterCount], -2));
    }

    [Fact]
    public void Bad_rows_and_options_are_refused_before_anything_changes()
    {
        var model = new F8x3();
        float[] before = model.Parameters.ToArray();
        float[] rows = new float[16];
        rows[11] = float.NaN;

        var nan = Assert.Throws<ArgumentException>(() => model.Fit(rows, new TrainingOptions()));
        Assert.Contains("row 2, column 4 (both counting from 1) is NaN", nan.Message, StringComparison.Ordinal);
        var shape = Assert.Throws<ArgumentException>(() => model.Fit(new float[12], new TrainingOptions()));
        Assert.Contains("its length is 12", shape.Message, StringComparison.Ordinal);
        var epochs = Assert.Throws<ArgumentException>(() => model.Fit(new float[16], new TrainingOptions { Epochs = 0 }));
        Assert.Contains("Epochs must be positive, but it is 0", epochs.Message, StringComparison.Ordinal);
        var precision = Assert.Throws<ArgumentException>(() => model.Fit(new float[16], new TrainingOptions { ValidationRows = new double[8] }));
        Assert.Contains("Single values like the model, but it holds Double", precision.Message, StringComparison.Ordinal);
        var validationShape = Assert.Throws<ArgumentException>(() => model.Fit(new float[16], new TrainingOptions { ValidationRows = new float[5] }));
        Assert.Contains("its length is 5", validationShape.Message, StringComparison.Ordinal);
        Assert.Equal(before, model.Parameters.ToArray());
    }

    [Fact]
    public void Unscaled_columns_of_very_different_ranges_give_a_warning_with_the_fix()
    {
        // Column 2 spans 0…5,000, column 5 0…2; the others 0…1. Counting from 1: columns 3 and 6.
        float[] rows = TestData.Rows<float>(40, 8, 5);
        for (int r = 0; r < 40; r++)
        {
            rows[(r * 8) + 2] *= 5000;
            rows[(r * 8) + 5] *= 2;
        }

        float range2 = Enumerable.Range(0, 40).Max(r => rows[(r * 8) + 2]) - Enumerable.Range(0, 40).Min(r => rows[(r * 8) + 2]);
        float narrowest = Enumerable.Range(0, 8).Where(j => j != 2).Min(j => Enumerable.Range(0, 40).Max(r => rows[(r * 8) + j]) - Enumerable.Range(0, 40).Min(r => rows[(r * 8) + j]));
        Assert.True(range2 > 1000 * narrowest);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 8, Optimizer = new Sgd(0.01) };

        string warning = Assert.Single(new F8x3().Fit(rows, options).Warnings);
        Assert.Contains("column 3 spans", warning, StringComparison.Ordinal);
        Assert.Contains("counting from 1", warning, StringComparison.Ordinal);
        Assert.Contains("Set TrainingOptions.Scaling = ScalerKind.MinMax", warning, StringComparison.Ordinal);

        // Scaled, or with ranges within a factor of 1,000, nothing is said.
        Assert.Empty(new F8x3().Fit(rows, new TrainingOptions { Epochs = 1, BatchSize = 8, Optimizer = new Sgd(0.01), Scaling = ScalerKind.MinMax }).Warnings);
        for (int r = 0; r < 40; r++)
        {
            rows[(r * 8) + 2] /= 5000;
        }

        Assert.Empty(new F8x3().Fit(rows, options).Warnings);
    }

    [Fact]
    public void Steps_inside_fit_allocate_nothing_once_its_buffers_exist()
    {
        // 1,000 more steps (100 epochs of 10 batches) may add only the per-epoch reports, not anything per step.
        float[] rows = TestData.Rows<float>(80, F16x3.Inputs, 2);
        long Allocated(int epochs)
        {
            var model = new F16x3();
            var options = new TrainingOptions { Epochs = epochs, BatchSize = 8, Optimizer = new Adam(0.001) };
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.Fit(rows, options);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(2);
        long few = Allocated(2);
        long many = Allocated(102);
        Assert.InRange((many - few) / 100.0, 0, 200);
    }
}
