namespace AeGen;

/// <summary>Why a fit ended.</summary>
public enum StopReason
{
    /// <summary>Every epoch ran; the parameters are those after the last step.</summary>
    Completed = 0,

    /// <summary>The monitored cost did not improve for <see cref="TrainingOptions.Patience"/> epochs; the best parameters were restored.</summary>
    EarlyStopped = 1,

    /// <summary>The cancellation token fired; the best parameters of the completed epochs (or the starting ones) were restored.</summary>
    Cancelled = 2,

    /// <summary>A cost, gradient or parameter became NaN or infinite; the last parameters known to be finite were restored.</summary>
    NonFinite = 3,
}
