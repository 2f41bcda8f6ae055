using System;
using System.ComponentModel;

namespace AeGen.Internals;

/// <summary>
/// Argument checks called by generated models before they touch any output, so that a wrong length
/// throws with the expected and the actual numbers and leaves every buffer as it was.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ShapeGuard
{
    /// <summary>Returns the number of rows m in <paramref name="length"/> values of rows <paramref name="width"/> wide.</summary>
    /// <exception cref="ArgumentException">The length is zero or not a multiple of the width.</exception>
    public static int Rows(int length, int width, string argument)
    {
        if (length == 0 || length % width != 0)
        {
            throw new ArgumentException(
                $"{argument} must hold one or more whole rows of {width} values (a length that is a positive multiple of {width}), but its length is {length}.",
                argument);
        }

        return length / width;
    }

    /// <summary>Checks that an output holds exactly <paramref name="rows"/> rows of <paramref name="width"/> values.</summary>
    /// <exception cref="ArgumentException">The length differs.</exception>
    public static void RowsMatch(int length, int rows, int width, string argument, string source)
    {
        if (length != rows * width)
        {
            throw new ArgumentException(
                $"{argument} must hold {rows} row(s) of {width} values (length {rows * width}) to match {source}, but its length is {length}.",
                argument);
        }
    }

    /// <summary>Checks that a gradient buffer has one value per parameter.</summary>
    /// <exception cref="ArgumentException">The length differs.</exception>
    public static void ParameterLength(int length, int parameterCount, string argument)
    {
        if (length != parameterCount)
        {
            throw new ArgumentException(
                $"{argument} must have length ParameterCount = {parameterCount}, but its length is {length}.",
                argument);
        }
    }
}
