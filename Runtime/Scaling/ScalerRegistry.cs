using System.Runtime.CompilerServices;

namespace AeGen;

/// <summary>
/// Which scaler belongs to which model instance. Generated models have no field for a scaler (the generator knows
/// nothing of data handling), so the runtime keeps this side table; entries die with their model.
/// </summary>
internal static class ScalerRegistry
{
    private static readonly ConditionalWeakTable<object, FeatureScaler> Scalers = new();

    public static FeatureScaler? Get(object model) => Scalers.TryGetValue(model, out FeatureScaler? scaler) ? scaler : null;

    public static void Set(object model, FeatureScaler? scaler)
    {
        if (scaler is null)
        {
            Scalers.Remove(model);
        }
        else
        {
            Scalers.AddOrUpdate(model, scaler);
        }
    }
}
