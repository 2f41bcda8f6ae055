using System;
using System.Linq;
using Xunit;

namespace AeGen.Tests.Data;

/// <summary>
/// Thresholds from the expected share of anomalies and from labelled rows, checked against counting by hand: every
/// threshold that flags a different set of rows is tried, and its precision, recall and F1 counted directly.
/// </summary>
public sealed class ThresholdTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.01)]
    [InlineData(0.2)]
    public void A_contamination_flags_that_share_of_the_rows(double share)
    {
        // 1,000 distinct scores: the share flagged is exact up to the one row the interpolation lands beside.
        double[] scores = Enumerable.Range(0, 1000).Select(i => Math.Sqrt(i * 7.3) + (i % 13)).ToArray();
        double threshold = AnomalyThreshold.FromContamination<double>(scores, share);
        int flagged = scores.Count(s => s > threshold);
        Assert.InRange(flagged, (int)(share * 1000) - 1, (int)(share * 1000) + 1);
        Assert.Equal(AnomalyThreshold.FromQuantile<double>(scores, 1 - share), threshold);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_share_outside_zero_to_one_is_refused(double share)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AnomalyThreshold.FromContamination<double>(new double[] { 1, 2 }, share));
        Assert.Equal("expectedShare", error.ParamName);
        Assert.Contains("strictly between 0 and 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_labelled_threshold_has_the_best_f1_of_every_threshold(int seed)
    {
        (float[] scores, bool[] labels) = Labelled(seed, rows: 600);
        LabelledThreshold<float> chosen = AnomalyThreshold.FromLabels<float>(scores, labels);

        (int tp, int fp, int fn) = Count(scores, labels, chosen.Threshold);
        Assert.Equal((tp, fp, fn), (chosen.TruePositives, chosen.FalsePositives, chosen.FalseNegatives));
        Assert.Equal((double)tp / (tp + fp), chosen.Precision, 12);
        Assert.Equal((double)tp / (tp + fn), chosen.Recall, 12);
        double best = Candidates(scores).Max(t => F1(Count(scores, labels, t)));
        Assert.Equal(best, chosen.F1, 12);
        Assert.Equal(best, F1((tp, fp, fn)), 12);
        // Of the thresholds that tie on F1, the highest: no threshold above it reaches the same F1.
        Assert.DoesNotContain(Candidates(scores).Where(t => t > chosen.Threshold), t => F1(Count(scores, labels, t)) >= best);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(1.0)]
    public void The_threshold_for_a_recall_is_the_highest_that_reaches_it(double recall)
    {
        (float[] scores, bool[] labels) = Labelled(4, rows: 500);
        LabelledThreshold<float> chosen = AnomalyThreshold.FromLabels<float>(scores, labels, recall);

        (int tp, int fp, int fn) = Count(scores, labels, chosen.Threshold);
        Assert.Equal((tp, fp, fn), (chosen.TruePositives, chosen.FalsePositives, chosen.FalseNegatives));
        Assert.True(chosen.Recall >= recall, $"recall {chosen.Recall} below {recall}");
        Assert.DoesNotContain(Candidates(scores).Where(t => t > chosen.Threshold), t => Recall(Count(scores, labels, t)) >= recall);
    }

    [Fact]
    public void Equal_scores_are_flagged_together_ties_go_to_the_higher_threshold_and_one_below_every_score_flags_all()
    {
        // Labels that only a threshold below every score satisfies at recall 1: the lowest score is an anomaly.
        float[] scores = [3, 3, 1, 2, 2, 5];
        bool[] labels = [false, true, true, false, false, true];
        LabelledThreshold<float> all = AnomalyThreshold.FromLabels<float>(scores, labels, minimumRecall: 1.0);
        Assert.True(all.Threshold < 1);
        Assert.Equal((3, 3, 0), (all.TruePositives, all.FalsePositives, all.FalseNegatives));

        // Flagging {5, 3, 3} and flagging all rows tie at F1 = 2/3; the higher threshold wins, between the 3s and the 2s.
        LabelledThreshold<float> best = AnomalyThreshold.FromLabels<float>(scores, labels);
        Assert.Equal(2.5f, best.Threshold);
        Assert.Equal((2, 1, 1), (best.TruePositives, best.FalsePositives, best.FalseNegatives));
    }

    [Fact]
    public void Evaluating_a_threshold_counts_what_it_flags_against_the_labels()
    {
        (float[] scores, bool[] labels) = Labelled(5, rows: 300);
        foreach (float threshold in Candidates(scores).Append(100f))
        {
            LabelledThreshold<float> result = AnomalyThreshold.Evaluate<float>(scores, labels, threshold);
            Assert.Equal(Count(scores, labels, threshold), (result.TruePositives, result.FalsePositives, result.FalseNegatives));
            Assert.Equal(threshold, result.Threshold);
        }

        Assert.Equal(0, AnomalyThreshold.Evaluate<float>(scores, labels, 100f).Precision);
        Assert.Throws<ArgumentException>(() => AnomalyThreshold.Evaluate<float>(scores, labels[1..], 1f));
    }

    [Fact]
    public void Labels_that_do_not_fit_are_refused_with_what_was_found()
    {
        var length = Assert.Throws<ArgumentException>(() => AnomalyThreshold.FromLabels<float>(new float[] { 1, 2, 3 }, new[] { true, false }));
        Assert.Contains("one label per score (3), but it holds 2", length.Message, StringComparison.Ordinal);
        var none = Assert.Throws<ArgumentException>(() => AnomalyThreshold.FromLabels<float>(new float[] { 1, 2 }, new[] { false, false }));
        Assert.Contains("0 of the 2 rows are labelled anomalous", none.Message, StringComparison.Ordinal);
        var infinite = Assert.Throws<ArgumentException>(() => AnomalyThreshold.FromLabels<float>(new float[] { 1, float.PositiveInfinity }, new[] { false, true }));
        Assert.Contains("score 1 (counting from 0) is +∞ (a row holding a value that is not finite scores +∞)", infinite.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => AnomalyThreshold.FromLabels<float>(new float[] { 1, 2 }, new[] { false, true }, minimumRecall: 0));
    }

    /// <summary>Normal rows score around 1, anomalies around 3, overlapping; scores rounded so that some tie.</summary>
    private static (float[] Scores, bool[] Labels) Labelled(int seed, int rows)
    {
        var random = new Random(seed);
        bool[] labels = Enumerable.Range(0, rows).Select(_ => random.NextDouble() < 0.1).ToArray();
        float[] scores = labels.Select(a => MathF.Round((float)((a ? 3 : 1) + (random.NextDouble() * 2.5)), 1)).ToArray();
        return (scores, labels);
    }

    /// <summary>Every threshold that flags a different set: each distinct score, and one below them all.</summary>
    private static float[] Candidates(float[] scores) => scores.Distinct().Append(scores.Min() - 1).ToArray();

    private static (int Tp, int Fp, int Fn) Count(float[] scores, bool[] labels, float threshold)
    {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool flagged = scores[i] > threshold;
            tp += flagged && labels[i] ? 1 : 0;
            fp += flagged && !labels[i] ? 1 : 0;
            fn += !flagged && labels[i] ? 1 : 0;
        }

        return (tp, fp, fn);
    }

    private static double F1((int Tp, int Fp, int Fn) c) => 2.0 * c.Tp / ((2.0 * c.Tp) + c.Fp + c.Fn);

    private static double Recall((int Tp, int Fp, int Fn) c) => (double)c.Tp / (c.Tp + c.Fn);
}
