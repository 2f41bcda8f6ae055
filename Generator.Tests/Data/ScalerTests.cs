using System;
using System.Linq;
using AeGen.Tests.Models;
using AeGen.Tests.Numerics;
using Xunit;

namespace AeGen.Tests.Data;

/// <summary>Min-max and standard scalers against hand-computed values, and their automatic use in training and scoring.</summary>
public class ScalerTests
{
    // Three rows, two columns: (1, 10), (3, 10), (2, 10). The second column is constant.
    private static readonly double[] Rows = [1, 10, 3, 10, 2, 10];

    [Fact]
    public void Min_max_maps_each_column_onto_zero_to_one()
    {
        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.MinMax, (ReadOnlySpan<double>)Rows, 2);
        Assert.Equal([1, 10], scaler.Shift.ToArray());
        Assert.Equal([2, 1], scaler.Divisor.ToArray());
        var scaled = new double[6];
        scaler.Transform<double>(Rows, scaled);
        Assert.Equal([0, 0, 1, 0, 0.5, 0], scaled);
        var back = new double[6];
        scaler.InverseTransform<double>(scaled, back);
        Assert.Equal(Rows, back);
    }

    [Fact]
    public void Both_directions_round_as_their_definitions_in_double_say()
    {
        // 13 columns: vectors of four and a tail, in float and in double; every element against its own formula.
        const int n = 13;
        double[] raw = TestData.Rows<double>(7, n, 4).Select((v, i) => (v * (i % 5 == 0 ? 1e4 : 3)) - (i % 3)).ToArray();
        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.Standard, (ReadOnlySpan<double>)raw, n);
        float[] rawFloat = raw.Select(v => (float)v).ToArray();
        var scaledFloat = new float[raw.Length];
        var scaledDouble = new double[raw.Length];
        scaler.Transform<float>(rawFloat, scaledFloat);
        scaler.Transform<double>(raw, scaledDouble);
        var backFloat = new float[raw.Length];
        var backDouble = new double[raw.Length];
        scaler.InverseTransform<float>(scaledFloat, backFloat);
        scaler.InverseTransform<double>(scaledDouble, backDouble);
        for (int i = 0; i < raw.Length; i++)
        {
            int j = i % n;
            double shift = scaler.Shift[j], divisor = scaler.Divisor[j];
            Assert.Equal((float)(((double)rawFloat[i] - shift) / divisor), scaledFloat[i]);
            Assert.Equal((raw[i] - shift) / divisor, scaledDouble[i]);
            double product = (double)scaledFloat[i] * divisor;
            Assert.Equal((float)(product + shift), backFloat[i]);
            double productDouble = scaledDouble[i] * divisor;
            Assert.Equal(productDouble + shift, backDouble[i]);
        }
    }

    [Fact]
    public void Standardization_uses_the_mean_and_population_deviation()
    {
        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.Standard, (ReadOnlySpan<double>)Rows, 2);
        Assert.Equal(2, scaler.Shift[0], 15);
        Assert.Equal(Math.Sqrt(2.0 / 3.0), scaler.Divisor[0], 15);
        Assert.Equal(1, scaler.Divisor[1]);
        var scaled = new double[6];
        scaler.Transform<double>(Rows, scaled);
        Assert.Equal(-1 / Math.Sqrt(2.0 / 3.0), scaled[0], 14);
        Assert.Equal(0, scaled[1]);
    }

    [Fact]
    public void Fit_with_scaling_equals_fit_on_rows_scaled_by_hand_and_attaches_the_scaler()
    {
        double[] raw = TestData.Rows<double>(50, 8, 4).Select((v, i) => (v * 100 * (1 + (i % 8))) - 30).ToArray();
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Optimizer = new Adam(0.01), Scaling = ScalerKind.MinMax };
        var automatic = new D8x3();
        automatic.Fit(raw, options);

        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.MinMax, (ReadOnlySpan<double>)raw, 8);
        double[] scaled = new double[raw.Length];
        scaler.Transform<double>(raw, scaled);
        var manual = new D8x3();
        manual.Fit(scaled, options with { Scaling = ScalerKind.None });

        Assert.Equal(manual.Parameters.ToArray(), automatic.Parameters.ToArray());
        Assert.Equal(scaler.Shift.ToArray(), automatic.Scaler!.Shift.ToArray());
        Assert.Null(manual.Scaler);
    }

    [Fact]
    public void A_scaler_for_another_width_is_refused()
    {
        var model = new F8x3();
        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.MinMax, (ReadOnlySpan<double>)Rows, 2);
        var error = Assert.Throws<ArgumentException>(() => { model.Scaler = scaler; });
        Assert.Contains("8 columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Further_training_without_scaling_applies_the_scaler_already_attached()
    {
        double[] raw = TestData.Rows<double>(40, 8, 5).Select(v => (v * 10) + 3).ToArray();
        FeatureScaler scaler = FeatureScaler.Fit(ScalerKind.Standard, (ReadOnlySpan<double>)raw, 8);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 8, Optimizer = new Sgd(0.1) };

        var attached = new D8x3();
        attached.Scaler = scaler;
        attached.Fit(raw, options);

        double[] scaled = new double[raw.Length];
        scaler.Transform<double>(raw, scaled);
        var manual = new D8x3();
        manual.Fit(scaled, options);

        Assert.Equal(manual.Parameters.ToArray(), attached.Parameters.ToArray());
        Assert.Same(scaler, attached.Scaler);
    }
}
