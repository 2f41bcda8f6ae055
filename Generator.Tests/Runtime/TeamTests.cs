using System;
using System.Linq;
using System.Threading;
using AeGen.Kernels;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>
/// The threads that share a step: every part runs once, failures reach the caller, a busy team still finishes, and
/// a step on two threads allocates nothing on either (the calling thread's count plus the helper's own).
/// </summary>
[Collection(KernelPlanCollection.Name)]
public sealed class TeamTests
{
    private sealed class Counting(int parts) : ITeamWork
    {
        public readonly int[] Runs = new int[parts];
        public readonly int[] Threads = new int[parts];

        public void Run(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            Threads[part] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(20_000);
        }
    }

    [Fact]
    public void Every_part_runs_exactly_once_and_the_helper_takes_some()
    {
        Team team = Team.For(2)!;
        bool helped = false;
        for (int round = 0; round < 200; round++)
        {
            var work = new Counting(7);
            team.Run(work, 7);
            Assert.All(work.Runs, runs => Assert.Equal(1, runs));
            helped |= work.Threads.Any(id => id != Environment.CurrentManagedThreadId);
        }

        Assert.True(helped, "In 200 runs of 7 parts the helper thread never took a part.");
    }

    private sealed class Failing : ITeamWork
    {
        public void Run(int part)
        {
            if (part == 3)
            {
                throw new InvalidOperationException("part 3 failed");
            }
        }
    }

    [Fact]
    public void A_failing_part_reaches_the_caller_and_the_team_runs_again_afterwards()
    {
        Team team = Team.For(2)!;
        var failure = Assert.Throws<InvalidOperationException>(() => team.Run(new Failing(), 6));
        Assert.Equal("part 3 failed", failure.Message);
        var work = new Counting(4);
        team.Run(work, 4);
        Assert.All(work.Runs, runs => Assert.Equal(1, runs));
    }

    private sealed class Nested(Team team) : ITeamWork
    {
        public readonly Counting[] Inner = [new(3), new(3)];

        // The team is busy with this run, so each inner run is done by the thread that asks for it.
        public void Run(int part) => team.Run(Inner[part], 3);
    }

    [Fact]
    public void A_run_asked_for_while_the_team_is_busy_is_done_by_the_caller_alone()
    {
        Team team = Team.For(2)!;
        var outer = new Nested(team);
        team.Run(outer, 2);
        foreach (Counting inner in outer.Inner)
        {
            Assert.All(inner.Runs, runs => Assert.Equal(1, runs));
            Assert.Single(inner.Threads.Distinct());
        }
    }

    [Fact]
    public void Steps_on_two_threads_allocate_nothing_on_any_thread()
    {
        // F16x3 at batch 1,024: four shards shared by the threads. F1024x256 at batch 200: one shard whose products
        // and Adam update are shared. More epochs may add the per-epoch reports, nothing per step.
        float[] small = TestData.Rows<float>(2048, F16x3.Inputs, 2);
        float[] large = TestData.Rows<float>(400, F1024x256.Inputs, 7);
        long Allocated(Func<IAutoencoder<float>> create, float[] rows, int batch, int epochs)
        {
            IAutoencoder<float> model = create();
            var options = new TrainingOptions { Epochs = epochs, BatchSize = batch, Optimizer = new Adam(0.001), MaxDegreeOfParallelism = 2 };
            Team team = Team.For(2)!;
            long before = GC.GetAllocatedBytesForCurrentThread() + team.HelperAllocatedBytes;
            model.Fit(rows, options);
            return GC.GetAllocatedBytesForCurrentThread() + team.HelperAllocatedBytes - before;
        }

        // The smallest of three differences in size: a collection in either Fit of a trial (the shared array pool
        // gives back its arrays then, and the next rent allocates) moves that trial either way, while an allocation
        // per step would be in all three.
        long PerStep(Func<IAutoencoder<float>> create, float[] rows, int batch, int epochs, int moreEpochs, int stepsPerEpoch)
        {
            Allocated(create, rows, batch, epochs);
            long fewest = long.MaxValue;
            for (int trial = 0; trial < 3; trial++)
            {
                long few = Allocated(create, rows, batch, epochs);
                long many = Allocated(create, rows, batch, epochs + moreEpochs);
                fewest = Math.Min(fewest, Math.Abs(many - few) / (moreEpochs * stepsPerEpoch));
            }

            return fewest;
        }

        Assert.InRange(PerStep(() => new F16x3(), small, 1024, 2, 50, 2), 0, 200);
        Assert.InRange(PerStep(() => new F1024x256(seed: 3), large, 200, 1, 5, 2), 0, 400);
    }
}
