using System.Numerics;
using AeGen.Internals;
using Xunit;

namespace AeGen.Tests.Runtime;

/// <summary>The blocked transpose against the definition, for shapes with and without partial blocks.</summary>
public class MatrixTests
{
    private delegate void Transposer<T>(ref T from, ref T to, int rows, int columns);

    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 3, 5 }, { 4, 4 }, { 8, 8 }, { 9, 7 }, { 16, 24 }, { 17, 33 }, { 64, 784 }, { 784, 784 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_transpose_puts_every_element_at_its_mirrored_place(int rows, int columns) =>
        Check<float>(Matrix.Transpose, rows, columns);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_transpose_puts_every_element_at_its_mirrored_place(int rows, int columns) =>
        Check<double>(Matrix.Transpose, rows, columns);

    private static void Check<T>(Transposer<T> transpose, int rows, int columns)
        where T : unmanaged, INumber<T>
    {
        var from = new T[rows * columns];
        for (int i = 0; i < from.Length; i++)
        {
            from[i] = T.CreateChecked(i + 1);
        }

        // One element past the transpose holds a marker that must survive.
        var to = new T[from.Length + 1];
        to[^1] = -T.One;
        transpose(ref from[0], ref to[0], rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                Assert.True(to[(j * rows) + i] == from[(i * columns) + j], $"{rows}×{columns}: element ({i}, {j}) went wrong.");
            }
        }

        Assert.Equal(-T.One, to[^1]);
    }
}
