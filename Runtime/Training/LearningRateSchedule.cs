namespace AeGen;

/// <summary>How the learning rate changes from epoch to epoch; the optimizer's rate is the base it scales.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/> (0 for the first) of <paramref name="epochs"/>.</summary>
    /// <param name="baseRate">The optimizer's <see cref="Optimizer.LearningRate"/>.</param>
    /// <param name="epoch">Zero-based epoch index.</param>
    /// <param name="epochs">The number of epochs the fit runs.</param>
    public abstract double Rate(double baseRate, int epoch, int epochs);
}
