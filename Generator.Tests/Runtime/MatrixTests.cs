using AeGen.Internals;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>The blocked transpose against the definition, for shapes with and without partial blocks.</summary>
public class MatrixTests
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 3, 5 }, { 4, 4 }, { 8, 8 }, { 9, 7 }, { 16, 24 }, { 17, 33 }, { 64, 784 }, { 784, 784 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_transpose_puts_every_element_at_its_mirrored_place(int rows, int columns)
    {
        var from = new float[rows * columns];
        for (int i = 0; i < from.Length; i++)
        {
            from[i] = i + 1;
        }

        var to = new float[from.Length + 1];
        to[^1] = -1;
        Matrix.Transpose(ref from[0], ref to[0], rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                Assert.True(to[(j * rows) + i] == from[(i * columns) + j], $"{rows}×{columns}: element ({i}, {j}) went wrong.");
            }
        }

        Assert.Equal(-1, to[^1]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_transpose_puts_every_element_at_its_mirrored_place(int rows, int columns)
    {
        var from = new double[rows * columns];
        for (int i = 0; i < from.Length; i++)
        {
            from[i] = i + 1;
        }

        var to = new double[from.Length + 1];
        to[^1] = -1;
        Matrix.Transpose(ref from[0], ref to[0], rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                Assert.True(to[(j * rows) + i] == from[(i * columns) + j], $"{rows}×{columns}: element ({i}, {j}) went wrong.");
            }
        }

        Assert.Equal(-1, to[^1]);
    }
}
