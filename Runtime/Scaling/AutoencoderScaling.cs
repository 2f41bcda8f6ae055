using System;
using System.Numerics;

namespace AeGen;

/// <summary>The scaler attached to a model: set by training or loading, used by scoring and reconstruction.</summary>
public static class AutoencoderScaling
{
    /// <summary>The scaler the model's inputs pass through, or null when it sees raw values.</summary>
    public static FeatureScaler? GetScaler<T>(this IAutoencoder<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return ScalerRegistry.Get(model);
    }

    /// <summary>Attaches <paramref name="scaler"/> to the model (null detaches).</summary>
    /// <exception cref="ArgumentException">The scaler's column count is not the model's n.</exception>
    public static void SetScaler<T>(this IAutoencoder<T> model, FeatureScaler? scaler)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        if (scaler is not null && scaler.Columns != model.Inputs)
        {
            throw new ArgumentException(
                $"scaler must have {model.Inputs} columns to match the model's inputs, but it has {scaler.Columns}.",
                nameof(scaler));
        }

        ScalerRegistry.Set(model, scaler);
    }
}
