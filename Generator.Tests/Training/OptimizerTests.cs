using System;
using AeGen.Tests.Models;
using Xunit;

namespace AeGen.Tests.Training;

/// <summary>
/// Each optimizer against numbers worked out by hand from the published update rules, and against a plain scalar
/// transcription of those rules (textbook arrangement, m̂ and v̂ written out) over several steps.
/// Nine parameters: a vector part and a scalar tail on every SIMD width.
/// </summary>
public class OptimizerTests
{
    private const int Count = 9;

    private static double[] Start() => [1.0, -0.5, 2.0, 0.25, -1.5, 0.75, 3.0, -2.0, 0.1];

    /// <summary>Gradients that change sign and size from step to step.</summary>
    private static double[] GradientAt(int step)
    {
        double[] g = [0.5, -0.25, 1.0, 0.0, 2.0, -1.0, 0.125, 0.3, -0.7];
        return Array.ConvertAll(g, v => (v * (step % 2 == 0 ? -0.5 : 1.0)) + (0.01 * step));
    }

    [Fact]
    public void Plain_sgd_steps_by_learning_rate_times_gradient()
    {
        // p = 2, g = 1, λ = 0.5, η = 0.1: g + λp = 2, p = 2 − 0.2 = 1.8.
        OptimizerState<double> state = new Sgd(0.1, weightDecay: 0.5).CreateState<double>(1);
        double[] p = [2.0];
        state.Step(p, [1.0], 0.1);
        Assert.Equal(1.8, p[0], 15);
    }

    [Fact]
    public void Momentum_sgd_matches_the_hand_computed_sequence()
    {
        // μ = 0.9, η = 0.1, g = 1 each step: b = 1, 1.9, 2.71; p = 0.9, 0.71, 0.439.
        OptimizerState<double> state = new Sgd(0.1, momentum: 0.9).CreateState<double>(1);
        double[] p = [1.0];
        double[] expected = [0.9, 0.71, 0.439];
        foreach (double e in expected)
        {
            state.Step(p, [1.0], 0.1);
            Assert.Equal(e, p[0], 14);
        }
    }

    [Fact]
    public void Nesterov_sgd_matches_the_hand_computed_sequence()
    {
        // d = g + μb: b = 1, d = 1.9, p = 0.81; b = 1.9, d = 2.71, p = 0.539; b = 2.71, d = 3.439, p = 0.1951.
        OptimizerState<double> state = new Sgd(0.1, momentum: 0.9, nesterov: true).CreateState<double>(1);
        double[] p = [1.0];
        double[] expected = [0.81, 0.539, 0.1951];
        foreach (double e in expected)
        {
            state.Step(p, [1.0], 0.1);
            Assert.Equal(e, p[0], 14);
        }
    }

    [Fact]
    public void Adam_first_two_steps_match_the_hand_computed_values()
    {
        // Step 1: m̂ = g, v̂ = g², p = 1 − 0.1·0.5/(0.5 + 1e−8) = 0.900000002 (to 1e−15).
        // Step 2, g = −0.25: m = 0.045 − 0.025 = 0.02, v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225,
        // m̂ = 0.02/0.19, v̂ = 0.00031225/0.001999, p = 0.900000002 − 0.1·m̂/(√v̂ + 1e−8) = 0.87336629...
        OptimizerState<double> state = new Adam(learningRate: 0.1).CreateState<double>(1);
        double[] p = [1.0];
        state.Step(p, [0.5], 0.1);
        Assert.Equal(0.9 + 2e-9, p[0], 15);
        state.Step(p, [-0.25], 0.1);
        double expected = 0.900000002 - (0.1 * (0.02 / 0.19) / (Math.Sqrt(0.00031225 / 0.001999) + 1e-8));
        Assert.Equal(expected, p[0], 14);
        Assert.InRange(p[0], 0.8733662, 0.8733663);
    }

    [Fact]
    public void Adam_bias_corrections_stay_right_over_many_steps_and_after_a_reset()
    {
        // β = 0.5 takes βᵗ below 10⁻³⁰ after 100 steps, where the state stops multiplying; the reference uses Math.Pow.
        OptimizerState<double> state = new Adam(learningRate: 0.01, beta1: 0.5, beta2: 0.5).CreateState<double>(1);
        for (int round = 0; round < 2; round++)
        {
            double[] p = [2.0];
            double reference = 2.0, m = 0, v = 0;
            for (int t = 1; t <= 300; t++)
            {
                double g = Math.Sin(t) + (0.1 * p[0]);
                double gr = Math.Sin(t) + (0.1 * reference);
                state.Step(p, [g], 0.01);
                m = (0.5 * m) + (0.5 * gr);
                v = (0.5 * v) + (0.5 * gr * gr);
                reference -= 0.01 * (m / (1 - Math.Pow(0.5, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.5, t))) + 1e-8);
                Assert.True(Math.Abs(reference - p[0]) <= 1e-12, $"round {round}, step {t}: {p[0]:R} against {reference:R}");
            }

            state.Reset();
        }
    }

    [Fact]
    public void AdamW_shrinks_the_parameters_before_the_adam_step()
    {
        // p = 1·(1 − 0.1·0.01) = 0.999, then − 0.1·0.5/(0.5 + 1e−8): 0.899000002.
        OptimizerState<double> state = new AdamW(learningRate: 0.1, weightDecay: 0.01).CreateState<double>(1);
        double[] p = [1.0];
        state.Step(p, [0.5], 0.1);
        Assert.Equal(0.899 + 2e-9, p[0], 15);
    }

    [Fact]
    public void Adam_with_weight_decay_adds_an_l2_term_to_the_gradient()
    {
        // g + λp = 0.5 + 0.1·1 = 0.6; first step moves by η·0.6/(0.6 + 1e−8).
        OptimizerState<double> state = new Adam(learningRate: 0.1, weightDecay: 0.1).CreateState<double>(1);
        double[] p = [1.0];
        state.Step(p, [0.5], 0.1);
        Assert.Equal(1 - (0.1 * 0.6 / (0.6 + 1e-8)), p[0], 15);
    }

    public static TheoryData<string> Names => ["sgd", "momentum", "nesterov", "adam", "adamw"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Five_steps_in_double_match_the_textbook_rule(string name)
    {
        const double Rate = 0.05;
        OptimizerState<double> state = Make(name, Rate).CreateState<double>(Count);
        double[] p = Start();
        double[] reference = Start();
        var buffer = new double[Count];
        var m = new double[Count];
        var v = new double[Count];
        for (int t = 1; t <= 5; t++)
        {
            double[] g = GradientAt(t);
            state.Step(p, g, Rate);
            ReferenceStep(name, reference, g, Rate, t, buffer, m, v);
            for (int i = 0; i < Count; i++)
            {
                Assert.Equal(reference[i], p[i], 1e-13);
            }
        }

        Assert.Equal(5, state.Steps);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Five_steps_in_float_stay_within_float_rounding_of_the_double_rule(string name)
    {
        const double Rate = 0.05;
        OptimizerState<float> state = Make(name, Rate).CreateState<float>(Count);
        float[] p = Array.ConvertAll(Start(), v => (float)v);
        double[] reference = Start();
        var buffer = new double[Count];
        var m = new double[Count];
        var v = new double[Count];
        for (int t = 1; t <= 5; t++)
        {
            double[] g = GradientAt(t);
            state.Step(p, Array.ConvertAll(g, x => (float)x), Rate);
            ReferenceStep(name, reference, g, Rate, t, buffer, m, v);
        }

        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(reference[i], p[i], 2e-5);
        }
    }

    [Fact]
    public void Reset_forgets_the_history()
    {
        OptimizerState<double> state = new Adam(0.1).CreateState<double>(1);
        double[] first = [1.0];
        state.Step(first, [0.5], 0.1);
        state.Step(first, [0.3], 0.1);
        state.Reset();
        Assert.Equal(0, state.Steps);
        double[] again = [1.0];
        state.Step(again, [0.5], 0.1);
        Assert.Equal(0.9 + 2e-9, again[0], 15);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_step_allocates_nothing(string name)
    {
        var model = new F64x16();
        OptimizerState<float> state = Make(name, 0.01).CreateState<float>(F64x16.ParameterCount);
        var gradient = new float[F64x16.ParameterCount];
        gradient.AsSpan().Fill(0.001f);
        state.Step(model.Parameters, gradient, 0.01);

        // The fewest bytes any of five batches of 100 steps allocates: a step that allocates makes every batch
        // allocate, while the runtime may allocate once on this thread when it recompiles Step mid-batch (seen under
        // emulation, where everything is slower and the recompilation falls inside the measured steps).
        long fewest = long.MaxValue;
        for (int batch = 0; batch < 5; batch++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                state.Step(model.Parameters, gradient, 0.01);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    [Fact]
    public void Wrong_lengths_and_bad_hyperparameters_are_refused_with_the_numbers()
    {
        OptimizerState<float> state = new Adam().CreateState<float>(4);
        var wrong = Assert.Throws<ArgumentException>(() => state.Step(new float[3], new float[4], 0.1));
        Assert.Contains("length 4, but its length is 3", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => state.Step(new float[4], new float[5], 0.1));
        var rate = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate: -1));
        Assert.Contains("-1", rate.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1, momentum: 1.5));
        var nesterov = Assert.Throws<ArgumentException>(() => new Sgd(0.1, nesterov: true));
        Assert.Contains("momentum > 0", nesterov.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(weightDecay: double.NaN));
    }

    private static Optimizer Make(string name, double rate) => name switch
    {
        "sgd" => new Sgd(rate, weightDecay: 0.01),
        "momentum" => new Sgd(rate, momentum: 0.8, dampening: 0.1),
        "nesterov" => new Sgd(rate, momentum: 0.9, nesterov: true, weightDecay: 0.02),
        "adam" => new Adam(rate, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.05),
        _ => new AdamW(rate, beta1: 0.85, beta2: 0.99, epsilon: 1e-7, weightDecay: 0.1),
    };

    /// <summary>The rules as the papers and PyTorch's documentation state them, one scalar at a time.</summary>
    private static void ReferenceStep(string name, double[] p, double[] g, double lr, int t, double[] b, double[] m, double[] v)
    {
        for (int i = 0; i < p.Length; i++)
        {
            switch (name)
            {
                case "sgd":
                    p[i] -= lr * (g[i] + (0.01 * p[i]));
                    break;
                case "momentum":
                    b[i] = t == 1 ? g[i] : (0.8 * b[i]) + (0.9 * g[i]);
                    p[i] -= lr * b[i];
                    break;
                case "nesterov":
                {
                    double d = g[i] + (0.02 * p[i]);
                    b[i] = t == 1 ? d : (0.9 * b[i]) + d;
                    p[i] -= lr * (d + (0.9 * b[i]));
                    break;
                }

                case "adam":
                {
                    double d = g[i] + (0.05 * p[i]);
                    m[i] = (0.8 * m[i]) + (0.2 * d);
                    v[i] = (0.95 * v[i]) + (0.05 * d * d);
                    double mHat = m[i] / (1 - Math.Pow(0.8, t));
                    double vHat = v[i] / (1 - Math.Pow(0.95, t));
                    p[i] -= lr * mHat / (Math.Sqrt(vHat) + 1e-6);
                    break;
                }

                default:
                {
                    p[i] *= 1 - (lr * 0.1);
                    m[i] = (0.85 * m[i]) + (0.15 * g[i]);
                    v[i] = (0.99 * v[i]) + (0.01 * g[i] * g[i]);
                    double mHat = m[i] / (1 - Math.Pow(0.85, t));
                    double vHat = v[i] / (1 - Math.Pow(0.99, t));
                    p[i] -= lr * mHat / (Math.Sqrt(vHat) + 1e-7);
                    break;
                }
            }
        }
    }
}
