using System;
using System.Linq;
using System.Numerics;

namespace AeGen;

/// <summary>
/// Online training: one optimizer step per call on rows as they arrive, with the optimizer's history (momentum,
/// moment estimates, step count) kept between calls, and saved with the model so that training resumes where it
/// stopped. N steps, <see cref="Save"/>, <see cref="Resume"/> in another process and N more give the same bits as 2N
/// steps without stopping. Made by <see cref="AutoencoderTrainers.CreateTrainer{T}"/>; a step allocates nothing once
/// its buffers have grown to the largest batch. With <see cref="InputNoise"/> it trains a denoising autoencoder online.
/// Not for use by several threads at once.
/// </summary>
/// <typeparam name="T">The model's precision.</typeparam>
public sealed class AutoencoderTrainer<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OptimizerState<T> _state;
    private readonly T[] _gradient;
    private readonly int _threads;
    private T[] _scaled = [];
    private T[] _noisy = [];

    internal AutoencoderTrainer(IAutoencoder<T> model, Optimizer optimizer, int maxDegreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Internals.ShapeGuard.DegreeOfParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        Model = model;
        Optimizer = optimizer;
        _threads = maxDegreeOfParallelism;
        _state = optimizer.CreateState<T>(model.ParameterCount);
        _gradient = new T[model.ParameterCount];
    }

    /// <summary>The model trained.</summary>
    public IAutoencoder<T> Model { get; }

    /// <summary>The rule and hyperparameters of every step; each step uses its <see cref="Optimizer.LearningRate"/>.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Steps taken, those before a <see cref="Resume"/> included.</summary>
    public long Steps => _state.Steps;

    /// <summary>
    /// Corrupts each step's rows (after the scaler) before the network reads them, and scores the reconstruction
    /// against the clean rows, as <see cref="TrainingOptions.InputNoise"/> does for <c>Fit</c>; null (the default)
    /// trains on the rows as they are. Not saved in the checkpoint: set it again after <see cref="Resume"/>.
    /// </summary>
    public InputNoise? InputNoise { get; set; }

    /// <summary>
    /// Seeds the input noise: step s draws from a stream fixed by this seed and s (the count <see cref="Steps"/>
    /// keeps, which a checkpoint carries), so that a resumed trainer with the same seed draws the noise it would have
    /// drawn without stopping. Default 0.
    /// </summary>
    public int NoiseSeed { get; set; }

    /// <summary>
    /// One optimizer step on <paramref name="rows"/>, given in the caller's units (the model's scaler, if it has one, is
    /// applied as <c>Score</c> applies it): the cost S = 1/(2m)·Σ(x′ − x̂′)² on these rows before the step.
    /// </summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of n values, none, or hold a value that is not finite; the model is unchanged.</exception>
    /// <exception cref="InvalidOperationException">The cost is not finite (the rate is too high, say); the model is unchanged.</exception>
    public T Step(ReadOnlySpan<T> rows)
    {
        int n = Model.Inputs;
        int m = Internals.ShapeGuard.Rows(rows.Length, n, nameof(rows));
        if (m == 0)
        {
            throw new ArgumentException("rows must hold at least one row.", nameof(rows));
        }

        FiniteCheck.RequireRows(rows, n, nameof(rows));
        ReadOnlySpan<T> input = rows;
        if (Model.Scaler is FeatureScaler scaler)
        {
            if (_scaled.Length < rows.Length)
            {
                _scaled = new T[rows.Length];
            }

            Span<T> scaled = _scaled.AsSpan(0, rows.Length);
            scaler.Transform(rows, scaled);
            input = scaled;
        }

        T cost;
        if (InputNoise is InputNoise noise)
        {
            if (_noisy.Length < rows.Length)
            {
                _noisy = new T[rows.Length];
            }

            Span<T> noisy = _noisy.AsSpan(0, rows.Length);
            SplitMix64 random = InputNoise.Generator(NoiseSeed, _state.Steps, part: 0);
            noise.Corrupt(input, noisy, ref random);
            cost = Model.Backward(noisy, input, _gradient, _threads);
        }
        else
        {
            cost = Model.Backward(input, _gradient, _threads);
        }

        if (!T.IsFinite(cost))
        {
            throw new InvalidOperationException($"The cost of these rows is {cost}, not finite; no step was taken, so the model is as it was (a lower learning rate, or scaled rows, usually helps).");
        }

        _state.Step(Model.Parameters, _gradient, Optimizer.LearningRate, _threads);
        return cost;
    }

    /// <summary>
    /// Writes the model (as <c>Save</c> does: parameters and scaler, readable by <c>Load</c>) and the optimizer's state
    /// (its description, step count and per-parameter buffers as extra tensors) to <paramref name="path"/>, atomically.
    /// </summary>
    /// <exception cref="InvalidOperationException">The optimizer is defined outside this library, so its state cannot be saved.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be written; any previous file is untouched.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string description = Optimizer.Describe()
            ?? throw new InvalidOperationException($"A trainer's checkpoint holds the state of AeGen's optimizers only; {Optimizer.GetType().Name} is not one. Save the model with model.Save instead.");
        var snapshot = new OptimizerSnapshot<T>(description, _state.Steps, _state.Scalars, _state.Buffers());
        AtomicFile.Write(path, SafetensorsWriter.Write(Model, snapshot));
    }

    /// <summary>
    /// Loads a trainer's checkpoint into <paramref name="model"/> (parameters and scaler) and returns a trainer whose
    /// optimizer carries on from the saved state. The optimizer given must be the one saved, with the same
    /// hyperparameters. The whole file is checked first, so on failure the model is as it was.
    /// </summary>
    /// <exception cref="CheckpointException">
    /// The file is damaged or for another model, holds no optimizer state (a model's own checkpoint), or the state is another
    /// optimizer's; the message says which.
    /// </exception>
    /// <exception cref="System.IO.IOException">The file cannot be read.</exception>
    public static AutoencoderTrainer<T> Resume(IAutoencoder<T> model, Optimizer optimizer, string path, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] file = AutoencoderCheckpoints.ReadFile(model, path);
        (T[] parameters, FeatureScaler? scaler) = SafetensorsReader.Read<T>(file, model.Inputs, model.Hidden, $"'{path}'", out OptimizerSnapshot<T>? saved);
        if (saved is null)
        {
            throw new CheckpointException($"Cannot resume training from '{path}': it holds a model but no optimizer state (it was written by model.Save, not by a trainer's Save). Load it with model.Load and create a new trainer.");
        }

        string? wanted = optimizer.Describe();
        if (wanted != saved.Description)
        {
            throw new CheckpointException($"Cannot resume training from '{path}' with {wanted ?? optimizer.GetType().Name}: the state in it is of {saved.Description}. Resume with that optimizer, or start a new trainer.");
        }

        var trainer = new AutoencoderTrainer<T>(model, optimizer, maxDegreeOfParallelism);
        string[] names = trainer._state.Buffers().Select(b => b.Name).ToArray();
        string[] found = saved.Buffers.Select(b => b.Name).ToArray();
        if (!names.Order().SequenceEqual(found.Order()) || saved.Scalars.Length != trainer._state.Scalars.Length)
        {
            trainer.Dispose();
            throw new CheckpointException(
                $"Cannot resume training from '{path}': {saved.Description} keeps buffers [{string.Join(", ", names)}] and {trainer._state.Scalars.Length} scalars, but the file holds [{string.Join(", ", found)}] and {saved.Scalars.Length}.");
        }

        parameters.CopyTo(model.Parameters);
        model.Scaler = scaler;
        trainer._state.Restore(saved.Steps, saved.Scalars, name => saved.Buffers.First(b => b.Name == name).Values);
        return trainer;
    }

    /// <summary>Gives the optimizer's buffers back; the trainer must not be used afterwards.</summary>
    public void Dispose() => _state.ReturnBuffers();
}

/// <summary>Makes trainers for online training.</summary>
public static class AutoencoderTrainers
{
    /// <summary>A trainer that steps <paramref name="model"/> with <paramref name="optimizer"/>, from a fresh optimizer state.</summary>
    /// <param name="model">The model; its current parameters (and scaler) are where training starts.</param>
    /// <param name="optimizer">The rule and hyperparameters.</param>
    /// <param name="maxDegreeOfParallelism">Threads each step's gradient may use (−1: one per core); the result does not depend on it.</param>
    public static AutoencoderTrainer<T> CreateTrainer<T>(this IAutoencoder<T> model, Optimizer optimizer, int maxDegreeOfParallelism = -1)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(model, optimizer, maxDegreeOfParallelism);
}
