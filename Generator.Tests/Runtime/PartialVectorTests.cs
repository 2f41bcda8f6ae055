using System;
using System.Runtime.Intrinsics;
using AeGen.Internals;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>Loads and stores of a vector's first elements, for every count, touching nothing past them.</summary>
public class PartialVectorTests
{
    [Fact]
    public void Float_load_reads_the_first_count_elements_and_zeroes_the_rest()
    {
        for (int count = 0; count <= 16; count++)
        {
            float[] source = new float[count + 16];
            for (int i = 0; i < source.Length; i++)
            {
                source[i] = i < count ? i + 1 : float.NaN;
            }

            Vector512<float> loaded = PartialVector.Load(ref source[0], count);
            for (int i = 0; i < 16; i++)
            {
                Assert.Equal(i < count ? i + 1 : 0f, loaded[i]);
            }
        }
    }

    [Fact]
    public void Double_load_reads_the_first_count_elements_and_zeroes_the_rest()
    {
        for (int count = 0; count <= 8; count++)
        {
            double[] source = new double[count + 8];
            for (int i = 0; i < source.Length; i++)
            {
                source[i] = i < count ? i + 1 : double.NaN;
            }

            Vector512<double> loaded = PartialVector.Load(ref source[0], count);
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(i < count ? i + 1 : 0d, loaded[i]);
            }
        }
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
}
