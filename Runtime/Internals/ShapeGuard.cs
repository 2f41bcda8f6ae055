using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AeGen.Internals;

/// <summary>
/// Argument checks called by generated models before they touch any output, so that a wrong length
/// throws with the expected and the actual numbers and leaves every buffer as it was. Each check is a comparison
/// that the JIT inlines into the caller, and the exception is built by a method that is never inlined and thrown by
/// the check itself, so the JIT sees that the failing path ends there. Inlined, the message formatting gave a small
/// model's Forward a large stack frame zeroed on every call and pushed its kernel past the JIT's inlining budget; a
/// helper that threw itself looked to the JIT like a call that returns (its code continued after the call).
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
            throw NotWholeRows(length, width, argument);
        }

        return (int)((uint)length / (uint)width);
    }

    /// <summary>Checks that an output holds exactly <paramref name="rows"/> rows of <paramref name="width"/> values.</summary>
    /// <exception cref="ArgumentException">The length differs.</exception>
    public static void RowsMatch(int length, int rows, int width, string argument, string source)
    {
        if (length != rows * width)
        {
            throw RowsMismatch(length, rows, width, argument, source);
        }
    }

    /// <summary>
    /// <paramref name="values"/> viewed as one <typeparamref name="TVector"/> (a generated inline array of
    /// <paramref name="width"/> values) without copying, once its length is checked.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold exactly <paramref name="width"/> values.</exception>
    public static ref TVector View<TVector, T>(Span<T> values, int width, string vector)
        where TVector : struct
        where T : unmanaged
    {
        if (values.Length != width)
        {
            throw RowsMismatch(values.Length, 1, width, nameof(values), "one " + vector);
        }

        return ref MemoryMarshal.AsRef<TVector>(MemoryMarshal.AsBytes(values));
    }

    /// <inheritdoc cref="View{TVector, T}(Span{T}, int, string)"/>
    public static ref readonly TVector ViewReadOnly<TVector, T>(ReadOnlySpan<T> values, int width, string vector)
        where TVector : struct
        where T : unmanaged
    {
        if (values.Length != width)
        {
            throw RowsMismatch(values.Length, 1, width, nameof(values), "one " + vector);
        }

        return ref MemoryMarshal.AsRef<TVector>(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Checks that a gradient buffer has one value per parameter.</summary>
    /// <exception cref="ArgumentException">The length differs.</exception>
    public static void ParameterLength(int length, int parameterCount, string argument)
    {
        if (length != parameterCount)
        {
            throw ParameterLengthMismatch(length, parameterCount, argument);
        }
    }

    /// <summary>Checks a thread count the way <see cref="System.Threading.Tasks.ParallelOptions"/> does: −1 (one per core) or positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is 0 or below −1.</exception>
    public static void DegreeOfParallelism(int value, string argument)
    {
        if (value == 0 || value < -1)
        {
            throw DegreeOutOfRange(value, argument);
        }
    }

    /// <summary>Returns <paramref name="scaler"/> if it is null or scales <paramref name="inputs"/> columns.</summary>
    /// <exception cref="ArgumentException">It scales another number of columns.</exception>
    public static FeatureScaler? Scaler(FeatureScaler? scaler, int inputs)
    {
        if (scaler is not null && scaler.Columns != inputs)
        {
            throw ScalerColumnsMismatch(scaler.Columns, inputs);
        }

        return scaler;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException ScalerColumnsMismatch(int columns, int inputs) =>
        new($"Scaler must have {inputs} columns to match the model's inputs, but it has {columns}.", "value");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentOutOfRangeException DegreeOutOfRange(int value, string argument) =>
        new(argument, value, $"{argument} must be -1 (one thread per core) or a positive number of threads, but it is {value}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException NotWholeRows(int length, int width, string argument) =>
        new(
            $"{argument} must hold one or more whole rows of {width} values (a length that is a positive multiple of {width}), but its length is {length}.",
            argument);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException RowsMismatch(int length, int rows, int width, string argument, string source) =>
        new(
            $"{argument} must hold {rows} row(s) of {width} values (length {rows * width}) to match {source}, but its length is {length}.",
            argument);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException ParameterLengthMismatch(int length, int parameterCount, string argument) =>
        new(
            $"{argument} must have length ParameterCount = {parameterCount}, but its length is {length}.",
            argument);
}
