using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using AeGen.Internals;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>Loads of the rows left in a group and stores of a vector's first elements, for every count, touching nothing past them.</summary>
public class PartialVectorTests
{
    [Fact]
    public void Float_load_reads_the_lanes_of_rows_that_are_left_and_zeroes_the_rest()
    {
        // One-element rows: lane i is row i, so every count of rows left, and counts past the vector, are covered.
        foreach (int rowsLeft in RowCounts(16))
        {
            float[] source = Framed(Math.Min(rowsLeft, 16), 16, float.NaN, i => i + 1f);
            Vector512<float> loaded = PartialVector.Load(ref source[0], Vector512<int>.Indices, rowsLeft);
            for (int i = 0; i < 16; i++)
            {
                Assert.Equal(i < rowsLeft ? i + 1 : 0f, loaded[i]);
            }
        }
    }

    [Fact]
    public void Float_load_of_three_wide_rows_leaves_out_the_lanes_past_the_group()
    {
        // Four rows of three: lanes 12–15 are outside the layout and stay zero however many rows are left.
        const int Beyond = int.MaxValue;
        Vector512<int> laneRows = Vector512.Create(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, Beyond, Beyond, Beyond, Beyond);
        foreach (int rowsLeft in new[] { 0, 1, 2, 3, 4, 5, 1000, int.MaxValue })
        {
            float[] source = Framed(3 * Math.Min(rowsLeft, 4), 16, float.NaN, i => i + 1f);
            Vector512<float> loaded = PartialVector.Load(ref source[0], laneRows, rowsLeft);
            for (int i = 0; i < 16; i++)
            {
                Assert.Equal(i < 12 && i / 3 < rowsLeft ? i + 1 : 0f, loaded[i]);
            }
        }
    }

    [Fact]
    public void Double_load_reads_the_lanes_of_rows_that_are_left_and_zeroes_the_rest()
    {
        foreach (int rowsLeft in RowCounts(8))
        {
            double[] source = Framed(Math.Min(rowsLeft, 8), 8, double.NaN, i => i + 1d);
            Vector512<double> loaded = PartialVector.Load(ref source[0], Vector512<long>.Indices, rowsLeft);
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(i < rowsLeft ? i + 1 : 0d, loaded[i]);
            }
        }
    }

    /// <summary>Every count up to a vector's lanes and a few past it.</summary>
    private static IEnumerable<int> RowCounts(int lanes) =>
        Enumerable.Range(0, lanes + 2).Concat([100, int.MaxValue]);

    /// <summary>An array of <paramref name="count"/> values followed by a vector's worth of <paramref name="frame"/>.</summary>
    private static T[] Framed<T>(int count, int lanes, T frame, Func<int, T> value)
    {
        var source = new T[count + lanes];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = i < count ? value(i) : frame;
        }

        return source;
    }

    [Fact]
    public void Float_store_writes_exactly_count_elements()
    {
        Vector512<float> value = Vector512<float>.Indices + Vector512.Create(100f);
        for (int count = 0; count <= 16; count++)
        {
            float[] destination = new float[1 + count + 17];
            destination.AsSpan().Fill(-1f);
            PartialVector.Store(value, ref destination[1], count);
            Assert.Equal(-1f, destination[0]);
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(100f + i, destination[1 + i]);
            }

            for (int i = 1 + count; i < destination.Length; i++)
            {
                Assert.True(destination[i] == -1f, $"count {count}: element {i - 1} was written.");
            }
        }
    }

    [Fact]
    public void Double_store_writes_exactly_count_elements()
    {
        Vector512<double> value = Vector512<double>.Indices + Vector512.Create(100d);
        for (int count = 0; count <= 8; count++)
        {
            double[] destination = new double[1 + count + 9];
            destination.AsSpan().Fill(-1d);
            PartialVector.Store(value, ref destination[1], count);
            Assert.Equal(-1d, destination[0]);
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(100d + i, destination[1 + i]);
            }

            for (int i = 1 + count; i < destination.Length; i++)
            {
                Assert.True(destination[i] == -1d, $"count {count}: element {i - 1} was written.");
            }
        }
    }

    [Fact]
    public void Narrow_loads_read_the_lanes_of_rows_that_are_left_and_zeroes_the_rest()
    {
        // The 256-bit overloads, which the packed-row kernels of 2×2 and 1×1 models use where 512 bits are not accelerated.
        foreach (int rowsLeft in RowCounts(8))
        {
            float[] source = Framed(Math.Min(rowsLeft, 8), 8, float.NaN, i => i + 1f);
            Vector256<float> loaded = PartialVector.Load(ref source[0], Vector256<int>.Indices, rowsLeft);
            double[] wide = Framed(Math.Min(rowsLeft, 4), 4, double.NaN, i => i + 1d);
            Vector256<double> loadedWide = PartialVector.Load(ref wide[0], Vector256<long>.Indices, rowsLeft);
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(i < rowsLeft ? i + 1 : 0f, loaded[i]);
            }

            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(i < rowsLeft ? i + 1 : 0d, loadedWide[i]);
            }
        }
    }

    [Fact]
    public void Narrow_stores_write_exactly_count_elements()
    {
        Vector256<float> value = Vector256<float>.Indices + Vector256.Create(100f);
        Vector256<double> wide = Vector256<double>.Indices + Vector256.Create(100d);
        for (int count = 0; count <= 8; count++)
        {
            float[] destination = new float[1 + count + 9];
            destination.AsSpan().Fill(-1f);
            PartialVector.Store(value, ref destination[1], count);
            Assert.Equal(-1f, destination[0]);
            for (int i = 0; i < destination.Length - 1; i++)
            {
                Assert.Equal(i < count ? 100f + i : -1f, destination[1 + i]);
            }

            if (count > 4)
            {
                continue;
            }

            double[] wideDestination = new double[1 + count + 5];
            wideDestination.AsSpan().Fill(-1d);
            PartialVector.Store(wide, ref wideDestination[1], count);
            Assert.Equal(-1d, wideDestination[0]);
            for (int i = 0; i < wideDestination.Length - 1; i++)
            {
                Assert.Equal(i < count ? 100d + i : -1d, wideDestination[1 + i]);
            }
        }
    }
}
