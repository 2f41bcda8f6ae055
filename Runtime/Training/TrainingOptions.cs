using System;
using System.Threading;

namespace AeGen;

/// <summary>How <see cref="AutoencoderTraining.Fit{T}(IAutoencoder{T}, ReadOnlySpan{T}, TrainingOptions)"/> trains.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training rows; positive. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Rows per mini-batch; positive. The last batch of an epoch holds the remaining rows. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The update rule. Default <see cref="Adam"/> with learning rate 0.001.</summary>
    public Optimizer Optimizer { get; init; } = new Adam();

    /// <summary>Seeds the shuffle of the rows before each epoch. The model's parameters are not re-initialized.</summary>
    public int Seed { get; init; }

    /// <summary>Rows scored after each epoch (same precision as the model); they are monitored instead of the training cost when given.</summary>
    public DataRows? ValidationRows { get; init; }

    /// <summary>Stop after this many epochs without improvement of the monitored cost and restore the best parameters; null never stops early.</summary>
    public int? Patience { get; init; }

    /// <summary>Scales the optimizer's learning rate per epoch; null keeps it constant.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>
    /// Fits a scaler of this kind on the training rows, trains on scaled rows and attaches it to the model. Default none,
    /// which keeps the model's <see cref="IAutoencoder{T}.Scaler"/>, if any, and applies it.
    /// </summary>
    public ScalerKind Scaling { get; init; }

    /// <summary>
    /// Rows the streaming <see cref="AutoencoderTraining.Fit{T}(IAutoencoder{T}, System.Collections.Generic.IEnumerable{ReadOnlyMemory{T}}, TrainingOptions)"/>
    /// holds back to mix the order of rows across blocks; positive. Its memory is this many rows of n values (it grows to
    /// that as rows arrive). A buffer that holds every row shuffles as the in-memory Fit does; a smaller one mixes each
    /// row with those within about this many rows of it. The in-memory Fit shuffles all its rows and ignores this.
    /// Default 65,536.
    /// </summary>
    public int ShuffleBufferRows { get; init; } = 65_536;

    /// <summary>
    /// Corrupts each mini-batch's rows (after scaling) before the network reads them, and scores the reconstruction
    /// against the clean rows: a denoising autoencoder. <see cref="InputNoise.Gaussian"/> or
    /// <see cref="InputNoise.Masking"/>; drawn from a generator seeded by <see cref="Seed"/> and the step. Validation
    /// rows are scored clean. Default null: no corruption.
    /// </summary>
    public InputNoise? InputNoise { get; init; }

    /// <summary>Receives a report after each epoch.</summary>
    public IProgress<EpochReport>? Progress { get; init; }

    /// <summary>Stops the fit between two steps; the model keeps the best parameters so far.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// The most threads computing one gradient; −1 (default) uses all cores. The result does not depend on it:
    /// batches are split into shards of a fixed number of rows whatever the thread count.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
