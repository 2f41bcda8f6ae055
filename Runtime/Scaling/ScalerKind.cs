namespace AeGen;

/// <summary>How input columns are rescaled before they reach the network.</summary>
public enum ScalerKind
{
    /// <summary>No rescaling: the network sees the values as given.</summary>
    None = 0,

    /// <summary>Each column mapped by (x − min) / (max − min), min and max taken from the training rows.</summary>
    MinMax = 1,

    /// <summary>Each column mapped by (x − mean) / σ, mean and population standard deviation of the training rows.</summary>
    Standard = 2,
}
