using System;
using System.Runtime.Intrinsics;
using AeGen.Internals;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>
/// The transposing lane sums against a sum of each vector's lanes in double. CI runs these tests again with AVX
/// switched off (<c>DOTNET_EnableAVX=0</c>), which takes the portable path.
/// </summary>
public class LanesTests
{
    [Fact]
    public void Eight_single_precision_vectors_give_their_eight_lane_sums_in_order()
    {
        var random = new Random(7);
        var v = new Vector256<float>[8];
        for (int j = 0; j < 8; j++)
        {
            v[j] = Vector256.Create(Array.ConvertAll(new float[8], _ => (float)((random.NextDouble() * 20) - 10)));
        }

        Vector256<float> sums = Lanes.Sums(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        for (int j = 0; j < 8; j++)
        {
            double expected = 0;
            for (int lane = 0; lane < 8; lane++)
            {
                expected += v[j][lane];
            }

            Assert.True(Math.Abs(sums[j] - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"sum {j}: {sums[j]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Four_double_precision_vectors_give_their_four_lane_sums_in_order()
    {
        Vector256<double> a = Vector256.Create(1d, 2, 3, 4), b = Vector256.Create(10d, 20, 30, 40);
        Vector256<double> c = Vector256.Create(-1d, 0.5, 0.25, 0.125), d = Vector256.Create(1e10, -1e10, 7, 0);
        Assert.Equal(Vector256.Create(10d, 100, -0.125, 7), Lanes.Sums(a, b, c, d));
    }
}
