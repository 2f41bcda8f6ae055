using System;
using System.Buffers;
using System.Numerics;
using AeGen.Kernels;

namespace AeGen;

/// <summary>
/// The gradient of a mini-batch computed over shards of <see cref="ShardRows"/> rows, each into its own buffer, then
/// summed in shard order. Since S is a mean over rows, ∇S = Σₛ (mₛ / m)·∇Sₛ. The split depends only on the batch size,
/// never on the number of threads, so the thread count never changes a bit of the result.
/// </summary>
internal sealed class ShardedGradient<T> : IDisposable, ITeamWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Rows per shard: large enough that the serial sum of the shard gradients stays small next to the backward
    /// passes, and that each Backward call spreads its fixed cost (packing W3 and W2) over many rows; against 128 rows
    /// it halves that sum. It is also the chunk of rows the dense kernels work in.
    /// </summary>
    public const int ShardRows = 256;

    private readonly IAutoencoder<T> _model;
    private readonly T[] _batch;

    /// <summary>The batch corrupted, which the network reads when there is input noise (else empty).</summary>
    private readonly T[] _noisy;
    private readonly InputNoise? _noise;
    private readonly T[][] _shardGradients;
    private readonly T[] _shardCosts;
    private readonly int _maxDegreeOfParallelism;
    private readonly Team? _team;

    // The current call's rows and row indices, pinned for its duration, for the shards to gather from.
    private unsafe T* _source;
    private unsafe int* _indices;
    private int _batchRows;
    private int _noiseSeed;
    private long _noiseStep;

    /// <summary>
    /// Rents the batch and the shard gradients from the shared array pool: a Fit allocating them (a batch of 1,024
    /// rows of 64 values is 256 KB, a large-object-heap array) made every few calls pay for a full collection, whose
    /// background thread then competed with the second training thread.
    /// </summary>
    public ShardedGradient(IAutoencoder<T> model, int maxBatchRows, int maxDegreeOfParallelism, InputNoise? noise = null)
    {
        _model = model;
        _batch = ArrayPool<T>.Shared.Rent(maxBatchRows * model.Inputs);
        _noise = noise;
        _noisy = noise is null ? [] : ArrayPool<T>.Shared.Rent(maxBatchRows * model.Inputs);
        int shards = (maxBatchRows + ShardRows - 1) / ShardRows;
        _shardGradients = new T[shards][];
        for (int s = 0; s < shards; s++)
        {
            _shardGradients[s] = ArrayPool<T>.Shared.Rent(model.ParameterCount);
        }

        _shardCosts = new T[shards];
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        _team = Team.For(maxDegreeOfParallelism);
    }

    /// <summary>
    /// Writes the gradient of the mini-batch made of the rows of <paramref name="rows"/> that <paramref name="indices"/>
    /// names, in that order, into <paramref name="gradient"/>; returns S. Each shard copies its own rows, so gathering
    /// the batch runs in parallel too. The rows are read through a pointer: every index must name a row of
    /// <paramref name="rows"/> (Fit passes a permutation of its own rows).
    /// </summary>
    /// <param name="rows">The rows the batch is gathered from.</param>
    /// <param name="indices">The batch's rows, by index into <paramref name="rows"/>.</param>
    /// <param name="gradient">Receives the batch's gradient.</param>
    /// <param name="noiseSeed">With input noise, the training's seed, which with <paramref name="step"/> fixes the noise.</param>
    /// <param name="step">With input noise, the step's number in the training.</param>
    public unsafe T Compute(ReadOnlySpan<T> rows, ReadOnlySpan<int> indices, Span<T> gradient, int noiseSeed = 0, long step = 0)
    {
        (_noiseSeed, _noiseStep) = (noiseSeed, step);
        int n = _model.Inputs;
        int count = indices.Length;
        fixed (T* source = rows)
        fixed (int* order = indices)
        {
            _source = source;
            _indices = order;
            _batchRows = count;
            try
            {
                if (count <= ShardRows)
                {
                    Gather(0, count);
                    // One shard: the model may still share its large products among the threads.
                    return _noise is null
                        ? _model.Backward(_batch.AsSpan(0, count * n), gradient, _maxDegreeOfParallelism)
                        : _model.Backward(Corrupt(0, 0, count), _batch.AsSpan(0, count * n), gradient, _maxDegreeOfParallelism);
                }

                int shards = (count + ShardRows - 1) / ShardRows;
                if (_team is null)
                {
                    for (int s = 0; s < shards; s++)
                    {
                        ComputeShard(s);
                    }
                }
                else
                {
                    _team.Run(this, shards);
                }
            }
            finally
            {
                _source = null;
                _indices = null;
            }
        }

        gradient.Clear();
        T cost = T.Zero;
        T total = T.CreateChecked(count);
        for (int s = 0; s * ShardRows < count; s++)
        {
            T weight = T.CreateChecked(ShardSize(s)) / total;
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_shardGradients[s].AsSpan(0, gradient.Length), weight, gradient, gradient);
            cost += weight * _shardCosts[s];
        }

        return cost;
    }

    /// <summary>How many rows ahead of its copy a gathered row is asked for.</summary>
    private const int GatherAhead = 8;

    private int ShardSize(int shard) => Math.Min(ShardRows, _batchRows - (shard * ShardRows));

    /// <summary>Copies rows indices[first .. first + count) of the source to rows first .. first + count of the batch.</summary>
    private unsafe void Gather(int first, int count)
    {
        int n = _model.Inputs;
        int end = first + count;
        for (int r = first; r < end; r++)
        {
            // The rows are drawn at random from the whole data set: the row wanted a few copies later is asked for now.
            if (r + GatherAhead < end)
            {
                Prefetch.Row(ref _source[(nint)_indices[r + GatherAhead] * n], n);
            }

            new ReadOnlySpan<T>(_source + ((nint)_indices[r] * n), n).CopyTo(_batch.AsSpan(r * n, n));
        }
    }

    void ITeamWork.Run(int part) => ComputeShard(part);

    private void ComputeShard(int shard)
    {
        int n = _model.Inputs;
        int first = shard * ShardRows;
        int size = ShardSize(shard);
        Gather(first, size);
        var clean = new ReadOnlySpan<T>(_batch, first * n, size * n);
        Span<T> shardGradient = _shardGradients[shard].AsSpan(0, _model.ParameterCount);
        _shardCosts[shard] = _noise is null ? _model.Backward(clean, shardGradient) : _model.Backward(Corrupt(shard, first, size), clean, shardGradient);
    }

    /// <summary>
    /// The batch's rows first .. first + count corrupted into the noisy buffer, from the shard's own generator: the
    /// split into shards depends on the batch size alone, so the noise does not depend on the threads.
    /// </summary>
    private ReadOnlySpan<T> Corrupt(int shard, int first, int count)
    {
        int n = _model.Inputs;
        SplitMix64 random = InputNoise.Generator(_noiseSeed, _noiseStep, shard);
        Span<T> noisy = _noisy.AsSpan(first * n, count * n);
        _noise!.Corrupt<T>(_batch.AsSpan(first * n, count * n), noisy, ref random);
        return noisy;
    }

    /// <summary>Returns the rented buffers to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<T>.Shared.Return(_batch);
        if (_noisy.Length > 0)
        {
            ArrayPool<T>.Shared.Return(_noisy);
        }

        foreach (T[] buffer in _shardGradients)
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }
}
