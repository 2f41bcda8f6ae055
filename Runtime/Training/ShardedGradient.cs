using System;
using System.Numerics;
using System.Threading.Tasks;

namespace AeGen;

/// <summary>
/// The gradient of a mini-batch computed over shards of <see cref="ShardRows"/> rows, each into its own buffer, then
/// summed in shard order. Since S is a mean over rows, ∇S = Σₛ (mₛ / m)·∇Sₛ. The split depends only on the batch size,
/// never on the number of threads, so one seed gives bit-identical parameters on any machine.
/// </summary>
internal sealed class ShardedGradient<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows per shard: large enough that the extra reduction is cheap next to the backward pass.</summary>
    public const int ShardRows = 128;

    private readonly IAutoencoder<T> _model;
    private readonly T[][] _shardGradients;
    private readonly T[] _shardCosts;
    private readonly ParallelOptions _parallel;
    private readonly Action<int> _computeShard;
    private T[] _batch = [];
    private int _batchRows;

    public ShardedGradient(IAutoencoder<T> model, int maxBatchRows, int maxDegreeOfParallelism)
    {
        _model = model;
        int shards = (maxBatchRows + ShardRows - 1) / ShardRows;
        _shardGradients = new T[shards][];
        for (int s = 0; s < shards; s++)
        {
            _shardGradients[s] = new T[model.ParameterCount];
        }

        _shardCosts = new T[shards];
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        _computeShard = ComputeShard;
    }

    /// <summary>Writes the gradient of the first <paramref name="rows"/> rows of <paramref name="batch"/> into <paramref name="gradient"/>; returns S.</summary>
    public T Compute(T[] batch, int rows, Span<T> gradient)
    {
        int n = _model.Inputs;
        if (rows <= ShardRows)
        {
            return _model.Backward(batch.AsSpan(0, rows * n), gradient);
        }

        _batch = batch;
        _batchRows = rows;
        int shards = (rows + ShardRows - 1) / ShardRows;
        Parallel.For(0, shards, _parallel, _computeShard);

        gradient.Clear();
        T cost = T.Zero;
        T total = T.CreateChecked(rows);
        for (int s = 0; s < shards; s++)
        {
            T weight = T.CreateChecked(ShardSize(s)) / total;
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_shardGradients[s], weight, gradient, gradient);
            cost += weight * _shardCosts[s];
        }

        return cost;
    }

    private int ShardSize(int shard) => Math.Min(ShardRows, _batchRows - (shard * ShardRows));

    private void ComputeShard(int shard)
    {
        int n = _model.Inputs;
        var x = new ReadOnlySpan<T>(_batch, shard * ShardRows * n, ShardSize(shard) * n);
        _shardCosts[shard] = _model.Backward(x, _shardGradients[shard]);
    }
}
