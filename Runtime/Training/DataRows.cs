using System;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Rows of float or double values (m·n, row after row) given to an option that does not know the model's precision,
/// such as <see cref="TrainingOptions.ValidationRows"/>. Arrays and memories convert implicitly.
/// </summary>
public readonly struct DataRows
{
    private readonly ReadOnlyMemory<float> _single;
    private readonly ReadOnlyMemory<double> _double;
    private readonly bool _isDouble;

    /// <summary>The table the rows came from, when they came from one: it knows their width.</summary>
    private readonly object? _table;

    private DataRows(ReadOnlyMemory<float> single, ReadOnlyMemory<double> @double, bool isDouble, object? table = null)
    {
        _single = single;
        _double = @double;
        _isDouble = isDouble;
        _table = table;
    }

    /// <summary>The number of values.</summary>
    public int Length => _isDouble ? _double.Length : _single.Length;

    /// <summary>Wraps float values.</summary>
    public static implicit operator DataRows(float[] values) => new(values, default, isDouble: false);

    /// <summary>Wraps double values.</summary>
    public static implicit operator DataRows(double[] values) => new(default, values, isDouble: true);

    /// <summary>Wraps float values.</summary>
    public static implicit operator DataRows(ReadOnlyMemory<float> values) => new(values, default, isDouble: false);

    /// <summary>Wraps double values.</summary>
    public static implicit operator DataRows(ReadOnlyMemory<double> values) => new(default, values, isDouble: true);

    /// <summary>Wraps a table's float rows, keeping its width so that it is checked against the model's.</summary>
    public static implicit operator DataRows(RowTable<float> table) => new(table.Values, default, isDouble: false, table);

    /// <summary>Wraps a table's double rows, keeping its width so that it is checked against the model's.</summary>
    public static implicit operator DataRows(RowTable<double> table) => new(default, table.Values, isDouble: true, table);

    /// <summary>Wraps float values.</summary>
    public static DataRows FromSingle(ReadOnlyMemory<float> values) => values;

    /// <summary>Wraps double values.</summary>
    public static DataRows FromDouble(ReadOnlyMemory<double> values) => values;

    /// <summary>The values as <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException">The values are of the other precision.</exception>
    internal ReadOnlyMemory<T> As<T>(string argument)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && !_isDouble)
        {
            return (ReadOnlyMemory<T>)(object)_single;
        }

        if (typeof(T) == typeof(double) && _isDouble)
        {
            return (ReadOnlyMemory<T>)(object)_double;
        }

        throw new ArgumentException(
            $"{argument} must hold {typeof(T).Name} values like the model, but it holds {(_isDouble ? "Double" : "Single")} values.",
            argument);
    }

    /// <summary>Throws unless rows that came from a table are <paramref name="inputs"/> wide; bare values cannot be checked.</summary>
    internal void RequireWidth(int inputs, string argument)
    {
        switch (_table)
        {
            case RowTable<float> single:
                single.RequireWidth(inputs, argument);
                break;
            case RowTable<double> @double:
                @double.RequireWidth(inputs, argument);
                break;
        }
    }
}
